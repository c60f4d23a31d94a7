#!/usr/bin/env python3
"""The seed's plan (create_faiss_index.py) written the obvious way in Python, timed stage by stage.

Reads the whole mosaic with GDAL into numpy, takes every FACTOR-th pixel in both directions,
converts uint8 -> float32 / 255, builds faiss.index_factory(d, INDEX), trains it on TRAIN_SIZE
sampled vectors drawn with a seeded generator, adds all sampled vectors labelled with their linear
pixel index (row * width + col, as Tessera does), writes the index, and np.save()s every pixel as
float32. Prints the wall time of each stage and the process's peak resident memory (ru_maxrss).

Usage: baseline.py MOSAIC.tif [--factor 4] [--index IVF1024,PQ64np] [--train-size 65536]
                   [--out DIR] [--seed 1234] [--json]
Run it with /usr/bin/python3 (Debian's python3-faiss, python3-numpy, python3-gdal).
"""
import argparse
import json
import os
import resource
import sys
import time

import faiss
import numpy as np
from osgeo import gdal


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mosaic")
    ap.add_argument("--factor", type=int, default=4)
    ap.add_argument("--index", default="IVF1024,PQ64np")
    ap.add_argument("--train-size", type=int, default=65536)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out", default="baseline-out")
    ap.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    gdal.UseExceptions()

    times = {}
    start = time.perf_counter()

    def stage(name, t0):
        times[name] = time.perf_counter() - t0
        return time.perf_counter()

    t = time.perf_counter()
    ds = gdal.Open(args.mosaic)
    height, width, bands = ds.RasterYSize, ds.RasterXSize, ds.RasterCount
    emb = ds.ReadAsArray()                      # (bands, H, W), like rasterio's read()
    emb = np.transpose(emb, (1, 2, 0))          # (H, W, bands) view, as the seed describes
    t = stage("read mosaic", t)

    f = args.factor
    sampled = emb[::f, ::f, :].reshape(-1, bands)          # copy of the sampled pixels
    rows, cols = np.mgrid[0:height:f, 0:width:f]
    ids = (rows.astype(np.int64) * width + cols).ravel()
    t = stage("sample", t)

    x = sampled.astype(np.float32) / 255.0
    t = stage("convert", t)

    index = faiss.index_factory(bands, args.index)
    rng = np.random.default_rng(args.seed)
    n_train = min(args.train_size, x.shape[0])
    train = x[np.sort(rng.choice(x.shape[0], n_train, replace=False))]
    index.train(train)
    t = stage("train", t)

    index.add_with_ids(x, ids)
    t = stage("add", t)

    faiss.write_index(index, os.path.join(args.out, "embeddings.index"))
    t = stage("write index", t)

    all_embeddings = emb.reshape(-1, bands).astype(np.float32) / 255.0
    np.save(os.path.join(args.out, "all_embeddings.npy"), all_embeddings)
    t = stage("write npy", t)

    total = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    result = {
        "mosaic": args.mosaic, "width": width, "height": height, "bands": bands,
        "factor": f, "index": args.index, "train_size": int(n_train), "sampled": int(x.shape[0]),
        "ntotal": int(index.ntotal), "faiss": faiss.__version__, "omp_threads": faiss.omp_get_max_threads(),
        "stages_s": times, "total_s": total, "peak_rss_mib": peak_mib,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"Python baseline: {width}x{height}x{bands}, factor {f}, {args.index}, "
          f"{n_train} training vectors, {x.shape[0]} sampled, FAISS {faiss.__version__}, "
          f"{faiss.omp_get_max_threads()} OpenMP threads")
    for name, seconds in times.items():
        print(f"  {name:<12} {seconds:9.2f} s")
    print(f"  {'total':<12} {total:9.2f} s")
    print(f"  peak RSS     {peak_mib:9.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
