#!/usr/bin/env bash
# Backs up Lantern's PostgreSQL database with pg_dump, restores the dump into a fresh database
# and checks it: every table of the source has the same exact row count in the restored copy
# (and no table is missing or extra), and Django finds no migration missing. Exits non-zero on
# any difference, naming each table that differs, and on any SQL error.
#
#   scripts/check_restore.sh postgres://user@host:5432/lantern [dump-file]
#
# The dump (custom format, compressed) is kept at dump-file when given, else deleted. The
# scratch database <name>_restore_check is dropped at the end. Use the same pg_dump,
# pg_restore, createdb and psql major version as the server.
#
# RESTORE_CHECK_TAMPER_SQL: SQL run in the restored copy after pg_restore and before the counts
# are compared, e.g. "DELETE FROM accounts_organisation WHERE id = 1". For testing the check
# itself (tests/faults/test_postgres.py plants a missing row this way); never set it otherwise.
# PYTHON: the interpreter with Lantern's requirements for the migration check (default:
# .venv/bin/python beside this script).
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
SOURCE_DB=${SOURCE_DB%%\?*}
SCRATCH_DB="${SOURCE_DB}_restore_check"
SCRATCH_URL="$BASE_URL/$SCRATCH_DB"
MAINTENANCE_URL="$BASE_URL/postgres"
HERE=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$HERE/.venv/bin/python}

# Every psql call stops at the first error and exits non-zero (psql's default is to go on).
sql() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
    sql "$MAINTENANCE_URL" -c "DROP DATABASE IF EXISTS \"$SCRATCH_DB\"" >/dev/null 2>&1 || true
    [ "$KEEP_DUMP" = 1 ] || rm -f "$DUMP"
}
trap cleanup EXIT

counts() {
    # One line per table of the public schema, "name count", the exact count(*), sorted
    # bytewise so that two lists can be joined. One statement: any error ends the script.
    sql -At -F ' ' "$1" -c "
        SELECT tablename,
               (xpath('/row/n/text()',
                      query_to_xml(format('SELECT count(*) AS n FROM %I.%I', schemaname, tablename),
                                   false, true, '')))[1]::text::bigint
        FROM pg_tables WHERE schemaname = 'public'" | LC_ALL=C sort
}

echo "Dumping $SOURCE_DB"
pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$SOURCE_URL"
BEFORE=$(counts "$SOURCE_URL")
if [ -z "$BEFORE" ]; then
    echo "No tables in $SOURCE_DB's public schema: nothing to check (is this Lantern's database, migrated?)" >&2
    exit 1
fi

echo "Restoring into a fresh database, $SCRATCH_DB"
sql "$MAINTENANCE_URL" -c "DROP DATABASE IF EXISTS \"$SCRATCH_DB\"" >/dev/null
sql "$MAINTENANCE_URL" -c "CREATE DATABASE \"$SCRATCH_DB\"" >/dev/null
pg_restore --exit-on-error --no-owner --no-privileges --dbname="$SCRATCH_URL" "$DUMP"
if [ -n "${RESTORE_CHECK_TAMPER_SQL:-}" ]; then
    echo "Tampering with the restored copy first (RESTORE_CHECK_TAMPER_SQL)"
    sql "$SCRATCH_URL" -c "$RESTORE_CHECK_TAMPER_SQL" >/dev/null
fi
AFTER=$(counts "$SCRATCH_URL")

# Every table of either side, with its count on each ("-" where it is missing).
DIFFERENCES=$(
    LC_ALL=C join -a 1 -a 2 -e - -o 0,1.2,2.2 <(echo "$BEFORE") <(echo "$AFTER") |
        awk 'function rows(n) { return n == "-" ? "no such table" : n " rows" }
             $2 != $3 { printf "  %s: %s in the source, %s in the restored copy\n", $1, rows($2), rows($3) }'
)
if [ -n "$DIFFERENCES" ]; then
    echo "Row counts differ between $SOURCE_DB and the restored copy:" >&2
    echo "$DIFFERENCES" >&2
    echo "Restore check FAILED" >&2
    exit 1
fi
TABLES=$(echo "$BEFORE" | wc -l)
ROWS=$(echo "$BEFORE" | awk '{ total += $2 } END { print total }')
echo "Same rows in all $TABLES tables ($ROWS rows)"

if [ -x "$PYTHON" ]; then
    DATABASE_URL="$SCRATCH_URL" SECRET_KEY="${SECRET_KEY:-restore-check-only}" DEBUG=1 \
        "$PYTHON" "$HERE/manage.py" migrate --check --noinput >/dev/null ||
        { echo "The restored copy lacks migrations (manage.py migrate --check)" >&2; exit 1; }
    echo "Every migration is applied in the restored copy"
else
    echo "Not checked: migrations (no $PYTHON; set PYTHON to Lantern's interpreter)" >&2
fi
echo "Restore check passed"
