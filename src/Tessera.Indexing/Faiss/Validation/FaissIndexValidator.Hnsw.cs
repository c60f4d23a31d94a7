namespace Tessera.Indexing.Faiss.Validation;

internal partial class FaissIndexValidator
{
    private Node ReadHnsw(string fourcc, int depth)
    {
        var h = ReadHeader();
        var n = h.Count;
        var probas = ReadVectorLength("hnsw.assign_probas", 8);
        Charge(Mul(probas, 8), "HNSW level probabilities");
        Skip(Mul(probas, 8));

        var levelsCount = ReadVectorLength("hnsw.cum_nneighbor_per_level", 4);
        Expect(levelsCount, probas + 1, $"one more than the {probas} level probabilities");
        if (levelsCount is < 2 or > MaxHnswLevels + 1)
        {
            throw Corrupt($"{levelsCount - 1} graph levels is out of range (1-{MaxHnswLevels})");
        }

        var cumulative = new int[levelsCount];
        ScanInt32(levelsCount, (i, value) => cumulative[i] = value);
        if (cumulative[0] != 0)
        {
            throw Corrupt($"the neighbour table must start at 0, not {cumulative[0]}");
        }

        for (var i = 1; i < cumulative.Length; i++)
        {
            if (cumulative[i] < cumulative[i - 1] || cumulative[i] > MaxHnswNeighborsPerNode)
            {
                throw Corrupt($"cumulative neighbour count {cumulative[i]} at level {i} is out of order or range");
            }
        }

        var levelsLength = ReadVectorLength("hnsw.levels", 4);
        Expect(levelsLength, n, $"ntotal = {n} levels");
        if (n >= Array.MaxLength || Mul(n, 12) > _reader.Remaining)
        {
            throw Corrupt($"{n} vectors need {Mul(n, 12)} bytes of levels and offsets, but only {_reader.Remaining} bytes remain");
        }

        // Bounded by the file: the 4 + 8 bytes per vector are present, and FAISS allocates the same.
        Charge(Mul(n, 4 + 8), "HNSW levels and offsets");
        var levels = new int[n];
        var maxLevel = levelsCount - 1;
        ScanInt32(n, (i, level) =>
        {
            if (level < 1 || level > maxLevel)
            {
                throw Corrupt($"vector {i} is on {level} levels; the graph has 1-{maxLevel}");
            }

            levels[i] = level;
        });

        var offsetsLength = ReadVectorLength("hnsw.offsets", 8);
        Expect(offsetsLength, n + 1, $"ntotal + 1 = {n + 1} offsets");
        var expectedOffset = 0L;
        ScanInt64(offsetsLength, (i, offset) =>
        {
            if (offset != expectedOffset)
            {
                throw Corrupt($"offset {i} is {offset}; the levels of the vectors before it put it at {expectedOffset}");
            }

            if (i < n)
            {
                expectedOffset += cumulative[levels[i]];
            }
        });

        var neighbors = ReadVectorLength("hnsw.neighbors", 4);
        Expect(neighbors, expectedOffset, $"offsets[ntotal] = {expectedOffset}");
        Charge(Mul(neighbors, 4), "the HNSW graph");
        long node = 0;
        var layer = 0;
        long inNode = 0;
        var neighborsStart = _reader.Position;
        ScanInt32(neighbors, (i, neighbor) =>
        {
            while (inNode >= cumulative[levels[node]])
            {
                node++;
                inNode = 0;
                layer = 0;
            }

            while (inNode >= cumulative[layer + 1])
            {
                layer++;
            }

            inNode++;
            if (neighbor == -1)
            {
                return;
            }

            if (neighbor < 0 || neighbor >= n || levels[neighbor] <= layer)
            {
                _fieldStart = neighborsStart + (i * 4);
                throw Corrupt($"vector {node} has neighbour {neighbor} on level {layer}, which is not a vector on that level");
            }
        });

        var entryPoint = ReadInt32("hnsw.entry_point");
        var topLevel = ReadInt32("hnsw.max_level");
        if (n == 0 ? entryPoint != -1 || topLevel != -1 : entryPoint < 0 || entryPoint >= n || topLevel != levels[entryPoint] - 1)
        {
            throw Corrupt($"entry point {entryPoint} on level {topLevel} is not the top vector of a {n}-vector graph");
        }

        var efConstruction = ReadInt32("hnsw.efConstruction");
        var efSearch = ReadInt32("hnsw.efSearch");
        var upperBeam = ReadInt32("hnsw.upper_beam");
        foreach (var (name, value) in new[] { ("efConstruction", efConstruction), ("efSearch", efSearch), ("upper_beam", upperBeam) })
        {
            if (value < 1 || value > MaxSearchBreadth)
            {
                throw Corrupt($"{name} = {value} is out of range (1-{MaxSearchBreadth})", "hnsw." + name);
            }
        }

        var storage = ReadIndex(labelLimit: null, depth + 1);
        _field = "storage";
        var expected = fourcc switch
        {
            "IHNf" => NodeKind.Flat,
            "IHNs" => NodeKind.ScalarQuantizer,
            _ => NodeKind.ProductQuantizer,
        };
        if (storage.Kind != expected)
        {
            throw Corrupt($"{fourcc} needs {expected} storage, not {storage.Kind}");
        }

        CheckWrapped(h, storage, h.Dimension, "HNSW graph");
        if (storage.Pq is { } pq)
        {
            // IndexHNSWPQ computes the symmetric distance table on load.
            Charge(Mul(pq.SubQuantizers, Mul(Mul(pq.Centroids, pq.Centroids), 4)), "the HNSW-PQ distance table");
        }

        return new Node(fourcc, NodeKind.Hnsw, h, null);
    }
}
