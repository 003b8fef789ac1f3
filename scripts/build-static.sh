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
