#!/usr/bin/env bash
# Build the one-folder app into dist/quay-mot-cua and prove it with --self-test (offscreen).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
install_system_packages
setup_venv full
cd "$ROOT"
rm -rf build/pyinstaller dist/quay-mot-cua
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist build_spec/counter_app.spec
QT_QPA_PLATFORM=offscreen dist/quay-mot-cua/quay-mot-cua --self-test
du -sh dist/quay-mot-cua
