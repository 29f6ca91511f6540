#!/usr/bin/env bash
# Restores, builds (warnings are errors) and runs every test project. Needs only the .NET 10 SDK.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test Shear.slnx --configuration Release --logger "trx;LogFilePrefix=tests" --results-directory artifacts/test-results "$@"
