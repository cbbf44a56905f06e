#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite (lint included). Exit non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
# A real X11 desk for the window tests (Xvfb, openbox, xdotool, xmodmap) and Qt's xcb libraries.
install_system_packages postgresql libreoffice-calc xvfb openbox xdotool x11-xserver-utils x11-utils \
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxkbcommon-x11-0 \
    libxcb-shape0 libxcb-randr0 libxcb-xkb1
setup_venv full
cd "$ROOT"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# pytest exits 5 when no test ran: that is a failure here too.
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
