#!/usr/bin/env bash
# Sets up the data on a fresh machine, then runs the main demo (samples/FashionMnistDemo).
set -euo pipefail
cd "$(dirname "$0")/.."
./build/setup-data.sh
dotnet run -c Release --project samples/FashionMnistDemo -- "$@"
