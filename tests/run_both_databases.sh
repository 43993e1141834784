#!/usr/bin/env bash
# `make test`'s two suite runs, SQLite and PostgreSQL, side by side instead of one after the
# other: most of a run waits on browsers, workers and PDF layout, so two fit on two cores in
# about the time of one. The runs share nothing (own database, worker queues, ports, temp
# folders). Each writes its own log; a progress line every minute; both logs in full at the end.
# Exit status: 0 only when both runs passed.
set -uo pipefail
cd "$(dirname "$0")/.."

logs=test-artifacts/logs
mkdir -p "$logs"
make --no-print-directory test-sqlite >"$logs/sqlite.log" 2>&1 &
sqlite=$!
make --no-print-directory test-postgres >"$logs/postgres.log" 2>&1 &
postgres=$!
trap 'kill $sqlite $postgres 2>/dev/null' INT TERM

progress() {  # the last progress marker pytest printed, e.g. "[ 42%]"
  grep -o '\[ *[0-9]*%\]' "$1" 2>/dev/null | tail -n1
}
started=$SECONDS
while kill -0 $sqlite 2>/dev/null || kill -0 $postgres 2>/dev/null; do
  sleep 60
  echo "tests running for $(((SECONDS - started) / 60)) min: SQLite $(progress "$logs/sqlite.log") PostgreSQL $(progress "$logs/postgres.log")"
done
wait $sqlite; sqlite_status=$?
wait $postgres; postgres_status=$?

cat "$logs/sqlite.log" "$logs/postgres.log"
echo "SQLite run: $([ $sqlite_status -eq 0 ] && echo passed || echo "FAILED ($sqlite_status)");" \
     "PostgreSQL run: $([ $postgres_status -eq 0 ] && echo passed || echo "FAILED ($postgres_status)")"
[ $sqlite_status -eq 0 ] && [ $postgres_status -eq 0 ]
