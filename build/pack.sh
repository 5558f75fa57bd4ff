#!/usr/bin/env bash
# Packs the two libraries under src/ into artifacts/packages (.nupkg and .snupkg), version from
# Directory.Build.props. Extra arguments go to dotnet pack, e.g. --version-suffix preview.1.
#   ./build/pack.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/packages
rm -rf "$out"
for project in src/Microsoft.ML.AutoAssist/Microsoft.ML.AutoAssist.csproj src/Estimators/Microsoft.ML.AutoAssist.Estimators.csproj; do
  dotnet pack "$project" -c Release -o "$out" -p:ContinuousIntegrationBuild=true "$@"
done
ls -1 "$out"
