#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs (incl. chromium when root), builds the
# web app, runs its unit tests and type check, then lint, types and tests (incl. the browser tests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"

bash "$ROOT/scripts/ensure-chromium.sh"
bash "$ROOT/scripts/build-web.sh"
if [ -f web/package.json ]; then
  echo "==> web: unit tests and type check" >&2
  (cd web && npm test --silent && npm run typecheck --silent)
fi

echo "==> ruff" >&2
uv run --frozen ruff check src tests bench
uv run --frozen ruff format --check src tests bench
echo "==> mypy" >&2
uv run --frozen mypy
echo "==> pytest" >&2
set +e
# loadgroup: the browser tests share one `fomo up` and one chromium on one worker.
uv run --frozen pytest -n 2 --dist loadgroup "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
