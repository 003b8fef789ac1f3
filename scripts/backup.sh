#!/usr/bin/env bash
# Back up earlyhelp: the PostgreSQL database named by DATABASE_URL (pg_dump custom format) and
# the uploaded documents in EARLYHELP_PRIVATE_FILES_DIR (a tar.gz), with SHA-256 checksums.
#
#   DATABASE_URL=postgres://earlyhelp@db.internal/earlyhelp \
#   EARLYHELP_PRIVATE_FILES_DIR=/srv/earlyhelp/private \
#     scripts/backup.sh [--output DIR]
#
# Writes DIR/earlyhelp-backup-<UTC timestamp>/ (DIR defaults to ./backups) holding
# database.dump, private-files.tar.gz, MANIFEST and SHA256SUMS, and prints its path as the last
# line. The backup holds personal data: it is created readable by its owner only; keep it
# encrypted at rest and off the application server (see docs/operations.md). Restore with
# scripts/restore.sh.
set -euo pipefail

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

output=backups
while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) [[ $# -ge 2 ]] || usage; output=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "backup: unknown argument: $1" >&2; usage ;;
  esac
done

die() { echo "backup: $*" >&2; exit 1; }

[[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL is not set (postgres://user@host/dbname)"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) die "DATABASE_URL must be a PostgreSQL URL (postgres://...); SQLite is for the demo only" ;;
esac
[[ -n "${EARLYHELP_PRIVATE_FILES_DIR:-}" ]] \
  || die "EARLYHELP_PRIVATE_FILES_DIR is not set (the uploaded documents belong in every backup)"
files_dir=$EARLYHELP_PRIVATE_FILES_DIR
[[ -d "$files_dir" ]] || die "EARLYHELP_PRIVATE_FILES_DIR ($files_dir) is not a directory"
for tool in pg_dump tar sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

umask 077
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$output/earlyhelp-backup-$stamp"
[[ -e "$target" ]] && die "$target already exists"
mkdir -p "$output"
partial="$target.partial"
rm -rf "$partial"
mkdir "$partial"
trap 'rm -rf "$partial"' EXIT

# --no-password: never prompt (use ~/.pgpass or the URL); a dump that cannot connect fails.
pg_dump --format=custom --compress=6 --no-password --file="$partial/database.dump" "$DATABASE_URL" \
  || die "pg_dump failed: no backup written"
tar -C "$files_dir" -czf "$partial/private-files.tar.gz" . \
  || die "archiving $files_dir failed: no backup written"

{
  echo "created_utc=$stamp"
  echo "pg_dump=$(pg_dump --version)"
  echo "private_files=$(find "$files_dir" -type f | wc -l) files"
} >"$partial/MANIFEST"
(cd "$partial" && sha256sum database.dump private-files.tar.gz MANIFEST >SHA256SUMS)

mv "$partial" "$target"
trap - EXIT
echo "backup: written (database and $(find "$files_dir" -type f | wc -l) private files)" >&2
echo "$target"
