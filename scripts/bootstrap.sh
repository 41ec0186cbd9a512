#!/usr/bin/env bash
# Installs the project's tools on a fresh machine (Python 3.11+, Node 20+, git):
# uv (from PyPI, into the user's Python), the locked Python environment, anvil (npm) and axe-core
# (npm, for the browser tests' accessibility checks).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v uv >/dev/null 2>&1; then
  if [ -x "$HOME/.local/bin/uv" ]; then
    export PATH="$HOME/.local/bin:$PATH"
  else
    echo "==> installing uv" >&2
    python3 -m pip install --user --quiet uv 2>/dev/null \
      || python3 -m pip install --quiet uv 2>/dev/null \
      || python3 -m pip install --quiet --break-system-packages uv
    export PATH="$HOME/.local/bin:$PATH"
    echo "==> uv installed; a new terminal may not have it on PATH: run the CLI as ./fomo …" >&2
  fi
fi

echo "==> syncing the Python environment (uv.lock)" >&2
uv sync --frozen --quiet

# anvil from npm @foundry-rs/anvil, installed into .tools/ (not global).
if [ ! -x "$ROOT/.tools/node_modules/.bin/anvil" ] && ! command -v anvil >/dev/null 2>&1; then
  echo "==> installing anvil (@foundry-rs/anvil)" >&2
  mkdir -p "$ROOT/.tools"
  npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent @foundry-rs/anvil@1.7.1 >&2
fi
# axe-core (accessibility checks injected into pages by the browser tests), pinned, into .tools/.
if [ ! -f "$ROOT/.tools/node_modules/axe-core/axe.min.js" ]; then
  echo "==> installing axe-core into .tools/" >&2
  mkdir -p "$ROOT/.tools"
  npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent axe-core@4.14.1 >&2
fi
export PATH="$ROOT/.tools/node_modules/.bin:$PATH"
