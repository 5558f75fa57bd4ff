#!/usr/bin/env bash
# Checks the packed packages as a new user gets them: in a fresh console project outside the repository, with
# artifacts/packages as a local feed, the steps and Program.cs of docs/getting-started.md (on fewer rows) must
# build, train, evaluate, save, and load the model back in a fresh process. Proves that the packages install,
# that TorchSharp's native library loads from them (Debian 12 needs the packed libstdc++ fix) and that the
# model loaders travel with them.
#   ./build/pack.sh && ./build/check-packages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
feed=$repo/artifacts/packages
package=$(ls "$feed"/Microsoft.ML.AutoAssist.Estimators.*.nupkg 2>/dev/null | grep -v snupkg | head -1) \
  || { echo "check-packages: run ./build/pack.sh first" >&2; exit 1; }
version=$(basename "$package" .nupkg); version=${version#Microsoft.ML.AutoAssist.Estimators.}
grep -q -- "--version $version" docs/getting-started.md \
  || { echo "check-packages: docs/getting-started.md does not install version $version" >&2; exit 1; }
./build/setup-data.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# NuGet keeps an extracted package per id and version; drop ours so the restore takes the ones just packed.
nuget_cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
rm -rf "$nuget_cache/microsoft.ml.autoassist" "$nuget_cache/microsoft.ml.autoassist.estimators"

start=$SECONDS
mkdir "$work/FashionStart" && cd "$work/FashionStart"
dotnet new console >/dev/null
dotnet new nugetconfig >/dev/null
dotnet nuget add source "$feed" --name autoassist-local --configfile nuget.config >/dev/null
dotnet add package Microsoft.ML.AutoAssist.Estimators --version "$version" >/dev/null
# Program.cs is the page's block that starts with "// Program.cs", on a few hundred rows.
awk '/^```csharp$/ { getline first; if (first == "// Program.cs") { on = 1; next } } on && /^```$/ { exit } on' \
  "$repo/docs/getting-started.md" > Program.cs
grep -q "AutoAssistFilter" Program.cs || { echo "check-packages: no Program.cs found in docs/getting-started.md" >&2; exit 1; }
sed -i 's/maxRows: 2000/maxRows: 300/; s/maxRows: 1000/maxRows: 200/' Program.cs

dotnet build -c Release 2>&1 | grep -E "error|warning|Marked|Build succeeded" | sort -u
test -f bin/Release/net10.0/Microsoft.ML.AutoAssist.Estimators.ModelLoaders.dll \
  || { echo "check-packages: the model loaders did not reach the build output" >&2; exit 1; }
dotnet run -c Release --no-build
test -f model.zip || { echo "check-packages: no model.zip" >&2; exit 1; }
dotnet run -c Release --no-build -- predict | tee predictions.txt
[ "$(grep -c '^class ' predictions.txt)" -eq 5 ] || { echo "check-packages: expected five predictions" >&2; exit 1; }
echo "check-packages: $version installs, trains, saves and loads in a fresh process ($((SECONDS - start)) s)"
