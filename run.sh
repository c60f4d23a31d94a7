#!/usr/bin/env bash
# Installs/builds what is missing (scripts/setup.sh), then runs the main job.
#   ./run.sh                      write a synthetic 512x512x128 mosaic through GDAL and index it
#                                 (tessera demo; outputs under out/demo/)
#   ./run.sh MOSAIC.tif [ARGS...] index that mosaic into out/faiss_indices/<file name>/
#                                 (ARGS go to `tessera index-mosaic`, e.g. --factor 2 --index IVF1024,PQ64np;
#                                 a later --viewport/--out overrides the defaults)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/setup.sh
dotnet build samples/Tessera.Cli -c Release -nologo -clp:ErrorsOnly
tessera=(dotnet samples/Tessera.Cli/bin/Release/net10.0/tessera.dll)
if [ "$#" -eq 0 ]; then
  exec "${tessera[@]}" demo --out out/demo
fi
mosaic="$1"; shift
viewport="$(basename "${mosaic%.*}")"
args=("$@")
has() { local a; for a in "${args[@]}"; do [ "$a" = "$1" ] && return 0; done; return 1; }
has --viewport || args+=(--viewport "$viewport")
has --out || args+=(--out out/faiss_indices)
exec "${tessera[@]}" index-mosaic "$mosaic" "${args[@]}"
