#!/usr/bin/env bash
# Install Chromium from the system's packages for the web page's tests
# (tests/test_web.py drives it with Playwright, which downloads no browser).
set -euo pipefail

command -v chromium >/dev/null && exit 0
"$(dirname "$0")/apt-install.sh" "the web page's tests" chromium
