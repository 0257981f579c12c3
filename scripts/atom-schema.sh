#!/usr/bin/env bash
# Make tests/data/atom.rng, the RELAX NG schema the tests validate the archive's
# Atom feed with (lxml reads RELAX NG in its XML syntax only), from
# tests/data/atom.rnc, RFC 4287's compact schema (Appendix B), with trang, the
# reference converter, from Debian's packages. Run once by `make atom-schema`;
# the result is committed, so the tests need neither trang nor Java.
set -euo pipefail
cd "$(dirname "$0")/../tests/data"

command -v trang >/dev/null || ../../scripts/apt-install.sh "make atom-schema" trang
trang -I rnc -O rng atom.rnc atom.rng
echo "tests/data/atom.rng written from atom.rnc by $(trang 2>&1 | grep -i "^trang version" || true)"
