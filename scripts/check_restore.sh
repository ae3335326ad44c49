#!/usr/bin/env bash
# Backs up Lantern's PostgreSQL database with pg_dump, restores the dump into a fresh database
# and checks it: every table has the same number of rows as the source, and Django finds no
# migration missing. Exits non-zero on any difference.
#
#   scripts/check_restore.sh postgres://user@host:5432/lantern [dump-file]
#
# The dump (custom format, compressed) is kept at dump-file when given, else deleted. The
# scratch database <name>_restore_check is dropped at the end. Use the same pg_dump,
# pg_restore, createdb and psql major version as the server.
set -euo pipefail

SOURCE_URL=${1:?usage: check_restore.sh DATABASE_URL [dump-file]}
DUMP=${2:-}
KEEP_DUMP=1
if [ -z "$DUMP" ]; then
    DUMP=$(mktemp --suffix=.dump)
    KEEP_DUMP=0
fi
BASE_URL=${SOURCE_URL%/*}
SOURCE_DB=${SOURCE_URL##*/}
SCRATCH_DB="${SOURCE_DB}_restore_check"
SCRATCH_URL="$BASE_URL/$SCRATCH_DB"
MAINTENANCE_URL="$BASE_URL/postgres"
HERE=$(cd "$(dirname "$0")/.." && pwd)

cleanup() {
    psql -X -q "$MAINTENANCE_URL" -c "DROP DATABASE IF EXISTS \"$SCRATCH_DB\"" >/dev/null 2>&1 || true
    [ "$KEEP_DUMP" = 1 ] || rm -f "$DUMP"
}
trap cleanup EXIT

counts() {
    # One line per table: name and exact row count.
    psql -X -At "$1" -c "
        SELECT format('SELECT %L || '' '' || count(*) FROM %I.%I', tablename, schemaname, tablename)
        FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename" |
        psql -X -At "$1"
}

echo "Dumping $SOURCE_DB"
pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$SOURCE_URL"
BEFORE=$(counts "$SOURCE_URL")

echo "Restoring into a fresh database, $SCRATCH_DB"
psql -X -q "$MAINTENANCE_URL" -c "DROP DATABASE IF EXISTS \"$SCRATCH_DB\"" >/dev/null
psql -X -q "$MAINTENANCE_URL" -c "CREATE DATABASE \"$SCRATCH_DB\"" >/dev/null
pg_restore --exit-on-error --no-owner --no-privileges --dbname="$SCRATCH_URL" "$DUMP"
AFTER=$(counts "$SCRATCH_URL")

if [ "$BEFORE" != "$AFTER" ]; then
    echo "Row counts differ between $SOURCE_DB and the restored copy:" >&2
    diff <(echo "$BEFORE") <(echo "$AFTER") >&2 || true
    exit 1
fi
TABLES=$(echo "$BEFORE" | wc -l)
ROWS=$(echo "$BEFORE" | awk '{ total += $2 } END { print total }')
echo "Same rows in all $TABLES tables ($ROWS rows)"

if [ -x "$HERE/.venv/bin/python" ]; then
    DATABASE_URL="$SCRATCH_URL" SECRET_KEY="${SECRET_KEY:-restore-check-only}" DEBUG=1 \
        "$HERE/.venv/bin/python" "$HERE/manage.py" migrate --check --noinput >/dev/null
    echo "Every migration is applied in the restored copy"
fi
echo "Restore check passed"
