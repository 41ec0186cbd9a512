#!/usr/bin/env bash
# The browser tests drive Debian's `chromium` (never a downloaded browser). Installs it, with
# fonts for readable screenshots, when it is missing and we are root (CI containers); otherwise
# says how. Never fails by itself: the browser tests fail with the same advice when CI=true.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing chromium and fonts (apt-get, for the browser tests)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core >&2
else
  echo "note: chromium not found; the browser tests need it: sudo apt-get install chromium" >&2
fi
