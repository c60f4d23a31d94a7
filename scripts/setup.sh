#!/usr/bin/env bash
# Installs and builds what Tessera.Indexing needs natively, and nothing that is already there.
#   - Debian packages: FAISS (static, with headers), OpenBLAS/LAPACK, GDAL, CMake/g++, and
#     Python's faiss/numpy/gdal/pil/onnx (the other side of the interop tests), and PostgreSQL
#     (the Supabase tests start a throw-away server on loopback; nothing is configured system-wide).
#   - libtessera_faiss.so: our C shim over FAISS (native/tessera_faiss), FAISS and OpenBLAS linked in
#     statically; rebuilt when its sources change.
# Idempotent: a second run checks and exits in seconds. Outputs go to artifacts/native/linux-x64/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
native_out="$root/artifacts/native/linux-x64"
mkdir -p "$native_out"

log() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    log "need root to run: $*"; exit 1; fi
}

# 1. Debian packages ---------------------------------------------------------------------------
packages=(libfaiss-dev libopenblas-dev liblapack-dev libgdal-dev gdal-bin cmake g++ make chromium
          python3-faiss python3-numpy python3-gdal python3-pil python3-onnx
          postgresql)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# 2. The FAISS shim --------------------------------------------------------------------------------
# Self-contained: FAISS and OpenBLAS (with its LAPACK) are linked in statically from libfaiss-dev and
# libopenblas-dev's archives, so the library needs only glibc, libstdc++, libgcc_s and libgomp.
# CMake's post-build step fails if it needs anything else (native/tessera_faiss/check_needed.cmake).
shim_src="$root/native/tessera_faiss"
shim_lib="$native_out/libtessera_faiss.so"
shim_build="$root/artifacts/obj/tessera_faiss"
newest_src="$(find "$shim_src" -type f -newer "$shim_lib" 2>/dev/null | head -1 || true)"
if [ ! -f "$shim_lib" ] || [ -n "$newest_src" ]; then
  log "building libtessera_faiss.so"
  # A build folder configured for another checkout (a copied artifacts/ folder) is started afresh.
  if [ -f "$shim_build/CMakeCache.txt" ] && ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$shim_src" "$shim_build/CMakeCache.txt"; then
    rm -rf "$shim_build"
  fi
  cmake -S "$shim_src" -B "$shim_build" -DCMAKE_BUILD_TYPE=Release -DTESSERA_FAISS_STATIC_BLAS=ON >/dev/null
  cmake --build "$shim_build" -j "$(nproc)" >/dev/null
  cp "$shim_build/libtessera_faiss.so" "$shim_lib.tmp" && mv "$shim_lib.tmp" "$shim_lib"
fi

log "ready: $(ls "$native_out" | tr '\n' ' ')"
