#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite (lint included). Exit non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
install_system_packages postgresql libreoffice-calc
setup_venv full
cd "$ROOT"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# pytest exits 5 when no test ran: that is a failure here too.
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
