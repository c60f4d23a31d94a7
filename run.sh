#!/usr/bin/env bash
# Installs/builds what is missing (scripts/setup.sh), then runs the main job.
#   ./run.sh                      index a generated demo mosaic
#   ./run.sh MOSAIC.tif [ARGS...] index that mosaic (ARGS go to `tessera index-mosaic`)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/setup.sh
dotnet build samples/Tessera.Cli -c Release -nologo -clp:ErrorsOnly
tessera=(dotnet samples/Tessera.Cli/bin/Release/net10.0/tessera.dll)
if [ "$#" -eq 0 ]; then
  exec "${tessera[@]}" faiss-smoke
fi
mosaic="$1"; shift
exec "${tessera[@]}" index-mosaic "$mosaic" "$@"
