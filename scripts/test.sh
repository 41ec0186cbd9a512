#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs, then lint, types and tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"

echo "==> ruff" >&2
uv run --frozen ruff check src tests bench
uv run --frozen ruff format --check src tests bench
echo "==> mypy" >&2
uv run --frozen mypy
echo "==> pytest" >&2
set +e
uv run --frozen pytest -n 2 "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
