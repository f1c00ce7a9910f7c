#!/usr/bin/env bash
# Runs provim's whole test suite: on embedded SQLite, and then again on
# PostgreSQL when PROVIM_TEST_DATABASE_URL is set (see README).
# Browser tests run in Debian's chromium when it is installed (in CI they
# must: CI=true makes a missing chromium a failure).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_url="${PROVIM_TEST_DATABASE_URL:-}"

echo "== go vet"
go vet ./...

echo "== tests on SQLite"
PROVIM_TEST_DATABASE_URL= go test -count=1 -timeout 20m ./...

if [ -n "$pg_url" ]; then
  # Packages run in parallel here too: every test migrates a schema of its
  # own, and storetest bounds each test database to a few connections
  # (storetest.MaxConns), well under the server's max_connections.
  echo "== tests on PostgreSQL"
  PROVIM_TEST_DATABASE_URL="$pg_url" go test -count=1 -timeout 20m ./...
else
  echo "== PostgreSQL run skipped: PROVIM_TEST_DATABASE_URL is not set"
fi
