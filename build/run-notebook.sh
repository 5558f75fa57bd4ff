#!/usr/bin/env bash
# Runs samples/notebooks/AutoAssist.ipynb headless (dotnet-repl, a local tool: .config/dotnet-tools.json)
# against the packages in artifacts/packages, as a user would reference them. Fails if any cell fails.
# The executed notebook, with its outputs, is kept in artifacts/notebooks/AutoAssist.executed.ipynb.
#   ./build/pack.sh && ./build/run-notebook.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ls artifacts/packages/Microsoft.ML.AutoAssist.Estimators.*.nupkg >/dev/null 2>&1 || { echo "run-notebook: run ./build/pack.sh first" >&2; exit 1; }
./build/setup-data.sh
dotnet tool restore
# NuGet keeps an extracted package per id and version; drop ours so the notebook gets the ones just packed.
nuget_cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
rm -rf "$nuget_cache/microsoft.ml.autoassist" "$nuget_cache/microsoft.ml.autoassist.estimators"
mkdir -p artifacts/notebooks
out=$PWD/artifacts/notebooks/AutoAssist.executed.ipynb
rm -f "$out"
cd samples/notebooks
start=$SECONDS
dotnet repl --run AutoAssist.ipynb --exit-after-run --output-path "$out"
echo "run-notebook: every cell ran in $((SECONDS - start)) s; outputs in artifacts/notebooks/AutoAssist.executed.ipynb"
