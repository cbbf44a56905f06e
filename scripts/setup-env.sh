#!/usr/bin/env bash
# Create .venv from the lock file. Sourced by run-app.sh and test.sh; idempotent and quick when nothing changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"

install_system_packages() {
    # Qt offscreen libraries, fonts with Vietnamese glyphs, PDF tools, PostgreSQL for the server tests.
    local wanted=(libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-croscore poppler-utils
                  "$@")
    local missing=()
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
            echo "Thiếu gói hệ thống: ${missing[*]} (cài bằng apt-get với quyền root)." >&2
            return 0
        fi
        echo "Installing system packages: ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

setup_venv() {
    cd "$ROOT"
    if [ ! -x .venv/bin/python ]; then
        "$PY" -m venv .venv
    fi
    local stamp=.venv/.lock-installed
    if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp"; then
        .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
        cp requirements.lock "$stamp"
    fi
    .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . >/dev/null
}
