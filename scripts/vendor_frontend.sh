#!/usr/bin/env bash
# Vendors the built GOV.UK Frontend and axe-core files into static/vendor/.
# The output is committed, so this only runs when upgrading either package:
#   scripts/vendor_frontend.sh 5.14.0 4.14.1
# GOV.UK Frontend's font (GDS Transport) and crown are for gov.uk services
# only, so the @font-face rules and the crest are dropped and the font stack
# becomes Arial/Helvetica.
set -euo pipefail
govuk_version=${1:-5.14.0}
axe_version=${2:-4.14.1}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "govuk-frontend@$govuk_version" "axe-core@$axe_version" >/dev/null
mkdir govuk axe
tar xzf "govuk-frontend-$govuk_version.tgz" -C govuk
tar xzf "axe-core-$axe_version.tgz" -C axe

out="$root/static/vendor/govuk-frontend"
rm -rf "$out"
mkdir -p "$out"
src=govuk/package/dist/govuk
sed -E \
  -e 's/@font-face\{font-family:GDS Transport;[^}]*\}//g' \
  -e 's/font-family:GDS Transport,arial,sans-serif/font-family:arial,helvetica,sans-serif/g' \
  -e 's/font-family:GDS Transport/font-family:arial,helvetica,sans-serif/g' \
  -e 's#url\(/assets/images/govuk-crest.svg\)#none#g' \
  -e 's@/\*# sourceMappingURL=[^*]*\*/@@g' \
  "$src/govuk-frontend.min.css" > "$out/govuk-frontend.min.css"
sed -E -e 's@//# sourceMappingURL=.*$@@' "$src/govuk-frontend.min.js" > "$out/govuk-frontend.min.js"
echo "$govuk_version" > "$out/VERSION"

mkdir -p "$root/tests/browser/vendor"
cp axe/package/axe.min.js "$root/tests/browser/vendor/axe.min.js"
echo "$axe_version" > "$root/tests/browser/vendor/AXE_VERSION"
echo "Vendored govuk-frontend $govuk_version and axe-core $axe_version"
