#!/usr/bin/env bash
# Issue 21's proof, run by CI after the tests: pack every package into a temporary feed and check their sizes;
# install the tool from that feed into a temporary tool path, as a new user with an empty NuGet packages folder and
# no Shear home; check that it refuses to run before setup and says what to run; `shear setup`; one epoch of
# `shear train`; `shear demo`; then build and run samples/PruneToOnnx against the packed libraries.
#   tools/package_check.sh            (prints a size table and one line per step; exit 1 on the first failure)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
feed=$work/feed
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Version.props")
rid=linux-x64
step() { printf '\n== %s\n' "$*"; }
fail() { echo "package check FAILED: $*" >&2; exit 1; }

step "pack $version into $feed"
for project in Shear.Core Shear.Pruning Shear.Export Shear.Inference Shear.Experiments Shear.Cli; do
  dotnet pack "$repo/src/$project" -c Release -o "$feed" --nologo -v quiet >/dev/null || fail "dotnet pack $project"
done

step "package sizes (tool for $rid < 30 MB, each library < 5 MB)"
status=0
for package in "$feed"/*.nupkg; do
  name=$(basename "$package"); bytes=$(stat -c %s "$package")
  limit=""
  case $name in
    Shear.Cli.$rid.*) limit=30000000 ;;
    Shear.Cli.*) limit="" ;;
    *) limit=5000000 ;;
  esac
  verdict="-"
  if [ -n "$limit" ]; then
    if [ "$bytes" -lt "$limit" ]; then verdict="ok (< $((limit / 1000000)) MB)"; else verdict="TOO LARGE (limit $((limit / 1000000)) MB)"; status=1; fi
  fi
  printf '%-40s %12d bytes  %6s MB  %s\n' "$name" "$bytes" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')" "$verdict"
done
[ $status = 0 ] || fail "a package is over its size limit"

# A new user: nothing in the NuGet packages folder, no Shear home, the tool in its own folder.
export NUGET_PACKAGES=$work/nuget-packages SHEAR_HOME=$work/shear-home DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
tools=$work/tools
step "dotnet tool install Shear.Cli $version (fresh NuGet folder $NUGET_PACKAGES)"
dotnet tool install Shear.Cli --version "$version" --tool-path "$tools" --add-source "$feed" || fail "tool install"
shear=$tools/shear
reported=$("$shear" --version)
echo "shear --version: $reported"
[ "${reported%%+*}" = "$version" ] || fail "shear --version says $reported, Version.props says $version"

step "first use before setup must refuse and say what to run"
cd "$work"
set +e
before=$("$shear" train --model mlp --epochs 1 --out runs/none 2>&1)
code=$?
set -e
echo "$before" | head -3
[ $code = 3 ] || fail "shear train before setup exited $code, expected 3"
echo "$before" | grep -q 'shear setup' || fail "the message before setup does not name shear setup"

step "shear setup"
"$shear" setup || fail "shear setup"

step "shear train, one epoch"
"$shear" train --model mlp --data fashion-mnist-subset --epochs 1 --out runs/mlp > train.log 2>&1 || { tail -20 train.log; fail "shear train"; }
grep -v NNPACK train.log | tail -3
grep -q "\"shearVersion\": \"$version" runs/mlp/result.json || fail "runs/mlp/result.json does not record Shear $version"

step "shear demo"
"$shear" demo > demo.log 2>&1 || { tail -20 demo.log; fail "shear demo"; }
grep -v NNPACK demo.log | tail -3
[ -f runs/quickstart/report/index.html ] || fail "shear demo wrote no report"

step "samples/PruneToOnnx against the packed libraries"
mkdir -p "$work/src" && cp -r "$repo/samples" "$repo/Version.props" "$work/src/"
dotnet run --project "$work/src/samples/PruneToOnnx" -c Release -p:RestoreAdditionalProjectSources="$feed" -- "$repo/data/fashion-mnist-subset" > sample.log 2>&1 \
  || { tail -30 sample.log; fail "samples/PruneToOnnx"; }
grep -v NNPACK sample.log
[ -s runs/mlp-pmp90/model.onnx ] || fail "the sample wrote no ONNX model"

echo
echo "package check passed"
