#!/usr/bin/env bash
# Install Chromium from the system's packages for the web page's tests
# (tests/test_web.py drives it with Playwright, which downloads no browser).
set -euo pipefail

command -v chromium >/dev/null && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "the web page's tests need Chromium: install it (Debian: apt-get install chromium), then run make again" >&2
  exit 1
fi
echo "Installing system packages: chromium"
apt-get install -y --no-install-recommends chromium >/dev/null \
  || { apt-get update -qq && apt-get install -y --no-install-recommends chromium >/dev/null; }
