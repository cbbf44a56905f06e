#!/usr/bin/env bash
# Set up a fresh machine and start the counter app on its embedded default (local SQLite, demo catalog).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
install_system_packages
setup_venv
cd "$ROOT"
exec .venv/bin/counter-app "$@"
