#!/usr/bin/env bash
# Install Debian packages for a tool the project's scripts need, as root.
#   scripts/apt-install.sh "WHO needs it" PACKAGE...
# Not root or no apt-get: say what to install, and fail.
set -euo pipefail
who=$1
shift
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "$who needs $*: install it (Debian: apt-get install $*), then run make again" >&2
  exit 1
fi
echo "Installing system packages: $*"
apt-get install -y --no-install-recommends "$@" >/dev/null \
  || { apt-get update -qq && apt-get install -y --no-install-recommends "$@" >/dev/null; }
