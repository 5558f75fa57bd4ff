#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine, then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./build/setup-data.sh
dotnet test AutoAssist.sln -c Release "$@"
