#!/usr/bin/env bash
# Installs what the platform needs, builds the web app if needed, and runs it on its embedded
# defaults (anvil devnet + SQLite); the web app is at the printed URL.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
bash "$ROOT/scripts/build-web.sh"
exec uv run --frozen fomo up "$@"
