#!/usr/bin/env bash
# Install the tests' readers from the npm registry into tests/js: pdf.js
# (pdfjs-dist), for the tests that read the web edition as Firefox does, and
# axe-core and html-validate for the web page's; Node.js 20.19 or newer runs them.
set -euo pipefail
cd "$(dirname "$0")/../tests/js"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "the tests need Node.js 20.19 or newer with npm: install them, then run make again" >&2
    exit 1
  fi
  echo "Installing system packages: nodejs npm"
  apt-get install -y --no-install-recommends nodejs npm >/dev/null \
    || { apt-get update -qq && apt-get install -y --no-install-recommends nodejs npm >/dev/null; }
fi
npm install --no-audit --no-fund --silent
