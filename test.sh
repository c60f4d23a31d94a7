#!/usr/bin/env bash
# Installs/builds what is missing (scripts/setup.sh), then builds and runs every test in Tessera.sln.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/setup.sh
dotnet build Tessera.sln -c Release -nologo -clp:ErrorsOnly
dotnet test Tessera.sln -c Release --no-build -nologo "$@"
