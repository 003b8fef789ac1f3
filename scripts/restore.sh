#!/usr/bin/env bash
# Restore an earlyhelp backup made by scripts/backup.sh into a target database and files folder.
#
#   scripts/restore.sh BACKUP_DIR --database-url postgres://earlyhelp@db.internal/earlyhelp \
#     --files-dir /srv/earlyhelp/private [--force]
#
# The target database must exist (createdb it first). The checksums are verified before
# anything is touched. A target database that already has tables, or a files folder that is not
# empty, is refused unless --force is given: then the database's objects are dropped and
# replaced (pg_restore --clean) and the files folder's contents are replaced. Afterwards run
# `earlyhelp audit verify` against the restored database (docs/operations.md).
set -euo pipefail

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}
die() { echo "restore: $*" >&2; exit 1; }

backup=""
database_url=""
files_dir=""
force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --database-url) [[ $# -ge 2 ]] || usage; database_url=$2; shift 2 ;;
    --files-dir) [[ $# -ge 2 ]] || usage; files_dir=$2; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "restore: unknown option: $1" >&2; usage ;;
    *) [[ -z "$backup" ]] || usage; backup=$1; shift ;;
  esac
done
[[ -n "$backup" && -n "$database_url" && -n "$files_dir" ]] || usage
case "$database_url" in
  postgres://*|postgresql://*) ;;
  *) die "--database-url must be a PostgreSQL URL (postgres://...)" ;;
esac
for tool in pg_restore psql tar sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

[[ -f "$backup/SHA256SUMS" ]] || die "$backup is not a backup made by scripts/backup.sh"
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) \
  || die "checksums do not match: the backup is damaged or was changed; nothing restored"

tables=$(psql "$database_url" --no-password --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM pg_catalog.pg_tables
   WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") \
  || die "cannot connect to the target database (does it exist? createdb it first)"
if [[ "$tables" -gt 0 && $force -eq 0 ]]; then
  die "the target database is not empty ($tables tables): refusing to restore over it" \
      "(use a new empty database, or --force to replace its contents)"
fi
if [[ -d "$files_dir" && -n "$(ls -A "$files_dir")" && $force -eq 0 ]]; then
  die "$files_dir is not empty: refusing to restore over it (use --force to replace it)"
fi

umask 077
clean=()
[[ $force -eq 1 ]] && clean=(--clean --if-exists)
# One transaction: either the whole database is restored or nothing is.
pg_restore --no-password --exit-on-error --single-transaction --no-owner "${clean[@]}" \
  --dbname="$database_url" "$backup/database.dump" \
  || die "pg_restore failed: the target database was left as it was"

staging="$files_dir.restoring.$$"
rm -rf "$staging"
mkdir -p "$staging"
tar -C "$staging" -xzf "$backup/private-files.tar.gz" || { rm -rf "$staging"; die "unpacking files failed"; }
if [[ -d "$files_dir" ]]; then
  old="$files_dir.replaced.$$"
  mv "$files_dir" "$old"
  mv "$staging" "$files_dir"
  rm -rf "$old"
else
  mkdir -p "$(dirname "$files_dir")"
  mv "$staging" "$files_dir"
fi

echo "restore: database and $(find "$files_dir" -type f | wc -l) private files restored;" \
  "now run 'earlyhelp audit verify' against the restored database" >&2
