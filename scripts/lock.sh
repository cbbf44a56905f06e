#!/usr/bin/env bash
# Re-resolve every dependency in a throw-away venv and rewrite requirements.lock.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q "$ROOT[server,dev]"
{ echo "# Pinned runtime + server + test dependencies; regenerate with scripts/lock.sh"
  "$tmp/venv/bin/pip" freeze --exclude-editable | grep -v "^quay-mot-cua" | sort -f
  echo "setuptools==80.9.0"; } > "$ROOT/requirements.lock"
rm -rf "$tmp"
