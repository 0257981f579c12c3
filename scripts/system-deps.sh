#!/usr/bin/env bash
# Install the system libraries WeasyPrint and the test suite need, where missing.
#   libpango-1.0-0, libpangoft2-1.0-0  text layout (WeasyPrint)
#   libharfbuzz-subset0                font subsetting (WeasyPrint)
#   fonts-noto-color-emoji             the only system font a build may use
#   poppler-utils                      pdftoppm, to rasterise pages for review
#   ghostscript                        the print preflight's ink coverage
#   mupdf-tools                        mutool, the tests' second reader of pages
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-color-emoji poppler-utils ghostscript mupdf-tools)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "emn-pdf needs these system packages: ${missing[*]}" >&2
  echo "Install them as root, then run make again:  $command" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
$command >/dev/null || { apt-get update -qq && $command >/dev/null; }
