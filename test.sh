#!/usr/bin/env bash
# Installs/builds what is missing (scripts/setup.sh), then builds and runs every test in Tessera.sln.
# Ends with one summary line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/setup.sh
dotnet build Tessera.sln -c Release -nologo -clp:ErrorsOnly
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test Tessera.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
# Sum the per-assembly lines: "Passed!  - Failed:     0, Passed:   122, Skipped:     0, Total: ..."
awk -F'[:,]' '/^(Passed|Failed)!  - Failed:/ { f += $2; p += $4; s += $6 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
