#!/usr/bin/env bash
# Copy GOV.UK Frontend (from npm, pinned in package.json) into the static files: no CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/govuk-frontend/dist/govuk
out=src/earlyhelp/static_build/govuk
rm -rf "$out"
mkdir -p "$out"
cp "$src/govuk-frontend.min.css" "$src/govuk-frontend.min.js" "$out/"
cp -r "$src/assets" "$out/assets"
# Councils are not GOV.UK: the GDS Transport typeface is for GOV.UK services only, so drop its
# @font-face rules and its name from the font stacks (text is set in Arial, as the Design
# System's guidance for services off GOV.UK says). Nor is the royal crest theirs: the footer's
# crest image goes. Any other image references point at /assets/...; they are served beside
# the stylesheet under STATIC_URL, so make them relative.
sed -i -E \
  -e 's/@font-face\{font-family:GDS Transport;[^}]*\}//g' \
  -e 's/font-family:GDS Transport,/font-family:/g' \
  -e 's#url\(/assets/images/govuk-crest\.svg\)#none#g' \
  -e 's#url\(/assets/#url(assets/#g' \
  "$out/govuk-frontend.min.css"
rm -rf "$out/assets/fonts"
