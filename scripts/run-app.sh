#!/usr/bin/env bash
# Set up a fresh machine and start the counter app on its embedded default (local SQLite, demo catalog).
# Installs only the runtime lock; on a ready machine it goes straight to the app (no pip run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
# Qt's X11 platform plugin needs the xcb helper libraries a bare Debian desktop may lack.
install_system_packages libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
    libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-xkb1
setup_venv runtime
cd "$ROOT"
exec .venv/bin/counter-app "$@"
