#!/usr/bin/env bash
# The one test command (npm test): installs the Debian peers, then lint, types, build, and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-peers.sh
echo "== eslint"; npx eslint .
echo "== tsc --noEmit"; npx tsc --noEmit
echo "== build"; npm run build --silent
echo "== tests"; npx vitest run "$@"
