#!/usr/bin/env bash
# Installs playwright-core (only the driver; the browser is Debian's chromium)
# into tests/browser/node_modules when it is missing. Run by scripts/test.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f node_modules/playwright-core/package.json ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "tests/browser/setup.sh: npm not found; the browser test will be skipped" >&2
  exit 0
fi
if ! npm ci --no-audit --no-fund --loglevel=error; then
  echo "tests/browser/setup.sh: npm ci failed; the browser test will be skipped" >&2
fi
