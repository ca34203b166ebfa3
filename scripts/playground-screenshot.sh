#!/usr/bin/env bash
# The README's screenshot of the playground (docs/playground.png): builds, then drives Debian's chromium
# (apt-get install chromium) through playwright-core. Usage: scripts/playground-screenshot.sh [FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
node dist/playground/screenshot.js "$@"
