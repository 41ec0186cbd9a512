#!/usr/bin/env bash
# Installs what the platform needs and runs it on its embedded defaults (anvil devnet + SQLite).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
exec uv run --frozen fomo up "$@"
