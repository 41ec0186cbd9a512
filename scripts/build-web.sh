#!/usr/bin/env bash
# Builds the web app (web/ → web/dist) when it is missing or older than its sources; a no-op
# when web/package.json does not exist or the build is current. `npm ci` runs only when the
# installed packages are missing or older than package-lock.json. Used by up.sh and test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEB="$ROOT/web"
[ -f "$WEB/package.json" ] || exit 0
cd "$WEB"

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
   || { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  echo "==> installing the web app's packages (npm ci in web/)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

stale=""
if [ ! -f dist/index.html ]; then
  stale="no build yet"
else
  newer="$(find . \( -path ./node_modules -o -path ./dist \) -prune -o -type f \
    -newer dist/index.html -print -quit)"
  [ -z "$newer" ] || stale="${newer#./} changed"
fi
if [ -n "$stale" ]; then
  echo "==> building the web app ($stale): npm run build in web/" >&2
  npm run build --silent >&2
fi
