#!/usr/bin/env bash
# The whole test suite: unit, cluster, end-to-end HTTP and PostgreSQL integration tests.
# The PostgreSQL tests install and start their own throwaway server (scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# PostgreSQL once, before test fixtures start servers side by side (scripts/postgres.sh also locks its install).
./scripts/postgres.sh install
# Chromium for the browser tests (console, browser tracking clients), driven by Playwright.
./scripts/browser.sh install >/dev/null
dotnet build CustomerGrains.sln -c Release
dotnet test CustomerGrains.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
