#!/usr/bin/env bash
# Create .venv from a lock file. Sourced by run-app.sh, test.sh and build-app.sh; idempotent, and
# when nothing changed it starts no pip at all (a few milliseconds).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"

install_system_packages() {
    # Qt offscreen libraries, fonts with Vietnamese glyphs, PDF tools, PostgreSQL for the server tests.
    local wanted=(libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-croscore poppler-utils
                  "$@")
    # One dpkg-query for them all: a package it does not know is missing (and absent from its output).
    local installed
    installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null || true)"
    local missing=()
    for pkg in "${wanted[@]}"; do
        grep -qxF "$pkg install ok installed" <<<"$installed" || missing+=("$pkg")
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

# setup_venv [full|runtime]
#   full (default): requirements.lock, the runtime plus the server and the test/build tools
#                   (test.sh, build-app.sh).
#   runtime:        requirements-runtime.lock, only what the counter app needs to run (run-app.sh).
# Each lock has its stamp in .venv, a copy of the lock last installed from it. The runtime lock is a
# subset of the full one with the same pins (tests/unit/test_locks.py), so a venv whose full stamp
# is current already satisfies "runtime" and is left alone: the developer's test venv and
# run-app.sh never reinstall over each other. A venv made by run-app.sh gets the extra tools the
# first time test.sh runs in it.
setup_venv() {
    local kind="${1:-full}"
    cd "$ROOT"
    if [ ! -x .venv/bin/python ]; then
        "$PY" -m venv .venv
    fi
    local full_stamp=.venv/.lock-installed runtime_stamp=.venv/.runtime-lock-installed
    case "$kind" in
        full)
            if ! cmp -s requirements.lock "$full_stamp"; then
                .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
                cp requirements.lock "$full_stamp"
            fi
            ;;
        runtime)
            if ! cmp -s requirements.lock "$full_stamp" && ! cmp -s requirements-runtime.lock "$runtime_stamp"; then
                .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-runtime.lock
                cp requirements-runtime.lock "$runtime_stamp"
            fi
            ;;
        *)
            echo "setup_venv: full or runtime, not «$kind»" >&2
            return 2
            ;;
    esac
    install_editable
}

# The package itself, editable, re-installed only when pyproject.toml changed (entry points, package
# list, dependencies) or the editable install is gone or points at another checkout. Source edits
# need nothing: the editable finder reads the tree.
install_editable() {
    local stamp=.venv/.editable-installed
    local url
    url="$(cat .venv/lib/python*/site-packages/quay_mot_cua-*.dist-info/direct_url.json 2>/dev/null || true)"
    if cmp -s pyproject.toml "$stamp" && [ -x .venv/bin/counter-app ] \
        && [[ "$url" == *'"editable": true'* && "$url" == *"\"file://$ROOT\""* ]]; then
        return 0
    fi
    .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . >/dev/null
    cp pyproject.toml "$stamp"
}
