#!/usr/bin/env bash
# Re-resolve every dependency in a throw-away venv and rewrite both locks:
#   requirements.lock          runtime + server + test/build tools (test.sh, build-app.sh, CI)
#   requirements-runtime.lock  what the counter app needs to run, nothing else (run-app.sh)
# The runtime lock is resolved under the full lock as constraints, so every pin it has is the full
# lock's (tests/unit/test_locks.py checks it).
# With --runtime-only, keep requirements.lock as it is and derive the runtime lock from it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SETUPTOOLS="setuptools==80.9.0"  # the build backend of `pip install -e .`, which runs without isolation
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

freeze() {
    "$1/bin/pip" freeze --exclude-editable | grep -v -i "^quay-mot-cua" | grep -v -i "^setuptools==" | sort -f
    echo "$SETUPTOOLS"
}

if [ "${1:-}" != "--runtime-only" ]; then
    python3 -m venv "$tmp/full"
    "$tmp/full/bin/pip" install -q "$ROOT[server,dev]"
    { echo "# Pinned runtime + server + test dependencies; regenerate with scripts/lock.sh"
      freeze "$tmp/full"; } > "$tmp/requirements.lock"
    mv "$tmp/requirements.lock" "$ROOT/requirements.lock"
fi

python3 -m venv "$tmp/runtime"
"$tmp/runtime/bin/pip" install -q -c "$ROOT/requirements.lock" "$ROOT"
{ echo "# Pinned dependencies the counter app needs at run time (a subset of requirements.lock, same pins);"
  echo "# installed by scripts/run-app.sh; regenerate with scripts/lock.sh"
  freeze "$tmp/runtime"; } > "$ROOT/requirements-runtime.lock"
