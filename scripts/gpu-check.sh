#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: embeds the same images with the CLIP ViT-B/32-shaped encoder (random weights,
# benchmarks/models/clip_vit_b32_random.py) on CUDA and on the CPU through Tessera.Indexing.Onnx, and prints both
# throughputs and whether the embeddings agree (every cosine >= 0.999). Never part of CI.
#
# Installs nothing by hand: it restores what benchmarks/Tessera.Indexing.GpuCheck declares (ONNX Runtime's
# Microsoft.ML.OnnxRuntime.Gpu.Linux at the version in Directory.Packages.props) through NuGet, which must be
# reachable (or TESSERA_NUGET_SOURCE names a folder/feed holding the packages). The machine must already have an NVIDIA
# driver and what that ONNX Runtime build loads: the CUDA 13 runtime, cuBLAS/cuBLASLt, cuRAND and cuDNN 9 on the
# library path; when one is missing the check says which (exit 2).
#
# Usage: scripts/gpu-check.sh [--images 512] [--batch 32] [--device 0] [--first cpu (a dry run without a GPU)]
# Exit codes: 0 agree, 1 disagree, 2 CUDA unavailable, 3 a prerequisite is missing. With $OUT set (the device
# tool), the JSON result is also written to $OUT/gpu-check.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '[gpu-check] %s\n' "$*" >&2; }

if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || true
else
  log "nvidia-smi not found: no NVIDIA driver here (the check will report CUDA as unavailable)"
fi
command -v dotnet >/dev/null 2>&1 || { log "needs the .NET 10 SDK (dotnet) on the PATH"; exit 3; }
python=""
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import onnx, numpy' 2>/dev/null; then python="$candidate"; break; fi
done
[ -n "$python" ] || { log "needs Python 3 with onnx and numpy (scripts/setup.sh installs python3-onnx)"; exit 3; }

model="${TESSERA_CLIP_MODEL:-$root/artifacts/models/clip-vit-b32-random.onnx}"
if [ ! -f "$model" ]; then
  log "writing the ViT-B/32-shaped model to $model"
  mkdir -p "$(dirname "$model")"
  "$python" "$root/benchmarks/models/clip_vit_b32_random.py" "$model" >&2
fi

project="$root/benchmarks/Tessera.Indexing.GpuCheck"
restore_args=()
if [ -n "${TESSERA_NUGET_SOURCE:-}" ]; then restore_args+=(--source "$TESSERA_NUGET_SOURCE"); fi
log "restoring and building $project"
dotnet restore "$project" "${restore_args[@]}" >&2
dotnet build "$project" -c Release --no-restore -nologo -v quiet >&2

json_args=()
if [ -n "${OUT:-}" ]; then json_args+=(--json "$OUT/gpu-check.json"); fi
exec dotnet "$project/bin/Release/net10.0/Tessera.Indexing.GpuCheck.dll" --model "$model" "${json_args[@]}" "$@"
