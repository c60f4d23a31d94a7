#!/usr/bin/env python3
"""Recall@K of FAISS index files against exact search, on the same queries.

The database is the sampled pixels the indexes hold (every FACTOR-th pixel in both directions,
uint8 / 255, labelled row * width + col); the queries are QUERIES pixels drawn (seeded) from the
pixels that were not sampled. Nodata pixels (all bands 0) are left out of both, as Tessera leaves
them out of its index (the Python baseline indexes them; they are never the neighbours of a valid
query). Exact neighbours come from a flat L2 index over the sampled pixels.
For each index file given, prints recall@K at each NPROBE: the share of the exact K nearest
labels that the index returns.

Usage: recall.py MOSAIC.tif INDEX [INDEX ...] [--factor 4] [--queries 1000] [--k 10] [--nprobe 1,8,32]
"""
import argparse
import json
import sys

import faiss
import numpy as np
from osgeo import gdal


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mosaic")
    ap.add_argument("indexes", nargs="+")
    ap.add_argument("--factor", type=int, default=4)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--nprobe", default="1,8,32")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    gdal.UseExceptions()

    ds = gdal.Open(args.mosaic)
    height, width, bands = ds.RasterYSize, ds.RasterXSize, ds.RasterCount
    f = args.factor
    db = []
    ids = []
    queries = []
    rng = np.random.default_rng(args.seed)
    q_rows = np.sort(rng.integers(0, height, args.queries))
    q_cols = rng.integers(0, width, args.queries)
    # Read row bands one block at a time: the database and the query pixels, never the whole mosaic.
    step = max(f, 64 // f * f)
    for y0 in range(0, height, step):
        rows = min(step, height - y0)
        block = np.transpose(ds.ReadAsArray(0, y0, width, rows), (1, 2, 0))  # (rows, W, bands)
        for r in range(rows):
            y = y0 + r
            if y % f == 0:
                row = block[r, ::f, :]
                valid = row.any(axis=1)
                db.append(row[valid])
                ids.append((y * width + np.arange(0, width, f, dtype=np.int64))[valid])
        for qi in np.nonzero((q_rows >= y0) & (q_rows < y0 + rows))[0]:
            pixel = block[q_rows[qi] - y0, q_cols[qi], :]
            if pixel.any() and (q_rows[qi] % f != 0 or q_cols[qi] % f != 0):
                queries.append(pixel)
    db = np.concatenate(db).astype(np.float32) / 255.0
    ids = np.concatenate(ids)
    q = np.stack(queries).astype(np.float32) / 255.0
    exact = faiss.IndexFlatL2(bands)
    exact.add(db)
    _, truth = exact.search(q, args.k)
    truth = ids[truth]

    results = {}
    for path in args.indexes:
        index = faiss.read_index(path)
        ivf = faiss.extract_index_ivf(index)
        per = {}
        for nprobe in [int(v) for v in args.nprobe.split(",")]:
            ivf.nprobe = nprobe
            _, found = index.search(q, args.k)
            hits = sum(len(set(found[i]) & set(truth[i])) for i in range(len(q)))
            per[nprobe] = hits / (len(q) * args.k)
        results[path] = per
    if args.json:
        print(json.dumps({"queries": len(q), "k": args.k, "recall": results}))
        return
    print(f"recall@{args.k} over {len(q)} queries (valid, not sampled pixels) against exact search of {len(db)} valid sampled pixels")
    for path, per in results.items():
        print(f"  {path}: " + ", ".join(f"nprobe {p}: {r:.4f}" for p, r in per.items()))


if __name__ == "__main__":
    sys.exit(main())
