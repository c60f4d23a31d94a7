namespace Tessera.Indexing.Faiss.Validation;

internal partial class FaissIndexValidator
{
    private Node ReadIvf(string fourcc, long? labelLimit, int depth)
    {
        var h = ReadHeader();
        var nlist = ReadCount("nlist");
        if (nlist == 0)
        {
            throw Corrupt("nlist is 0: an IVF index needs at least one list");
        }

        if (nlist >= Array.MaxLength)
        {
            throw Refused($"nlist = {nlist}: more than {Array.MaxLength - 1} lists are not supported");
        }

        // The list headers FAISS allocates from nlist alone, before any length field bounds it.
        Charge(Mul(nlist, InvertedListHeaderBytes), $"{nlist} inverted list headers");
        var nprobe = ReadUInt64("nprobe");
        if (nprobe == 0 || nprobe > long.MaxValue)
        {
            // FAISS clamps nprobe to nlist, but only after reading it as a signed 64-bit value.
            throw Corrupt($"nprobe is {nprobe}: every search would fail (1 to 2^63 - 1 are valid; FAISS searches min(nprobe, nlist) lists)");
        }

        var quantizer = ReadIndex(labelLimit: null, depth + 1);
        _field = "quantizer";
        if (quantizer.Fourcc is not ("IxF2" or "IxFI" or "IxFl" or "IHNf"))
        {
            throw Refused($"an IVF coarse quantizer of type {quantizer.Fourcc} is not supported (flat or HNSW-flat only)");
        }

        if (quantizer.Dimension != h.Dimension)
        {
            throw Corrupt($"the coarse quantizer is {quantizer.Dimension}-d but the index is {h.Dimension}-d");
        }

        if (quantizer.Count != nlist && !(quantizer.Count == 0 && !h.IsTrained))
        {
            throw Corrupt($"the coarse quantizer holds {quantizer.Count} centroids for {nlist} lists");
        }

        var directMap = ReadDirectMap(h.Count);
        long codeSize;
        PqShape? pq = null;
        switch (fourcc)
        {
            case "IwFl":
                codeSize = Mul(h.Dimension, 4);
                break;
            case "IwPQ":
                var byResidual = ReadBool("by_residual");
                codeSize = ReadCount("code_size");
                pq = ReadProductQuantizer(h.Dimension);
                if (codeSize != pq.CodeSize)
                {
                    throw Corrupt($"code_size {codeSize} differs from the product quantizer's {pq.CodeSize} bytes", "code_size");
                }

                if (h.IsTrained && byResidual && quantizer.Metric == MetricL2)
                {
                    // IndexIVFPQ::precompute_table, built on load when it fits precomputed_table_max_bytes.
                    var table = Mul(Mul(nlist, pq.SubQuantizers), Mul(pq.Centroids, 4));
                    if (table <= PrecomputedTableMaxBytes)
                    {
                        Charge(table, "the IVF-PQ precomputed distance table");
                    }
                }

                break;
            default:
                var sq = ReadScalarQuantizer(h.Dimension, h.IsTrained);
                codeSize = ReadCount("code_size");
                if (codeSize != sq.CodeSize)
                {
                    throw Corrupt($"code_size {codeSize} differs from the scalar quantizer's {sq.CodeSize} bytes", "code_size");
                }

                if (fourcc == "IwSq")
                {
                    ReadBool("by_residual");
                }

                break;
        }

        var sizes = ReadInvertedLists(nlist, codeSize, h.Count, labelLimit);
        if (directMap.Type != 0)
        {
            CheckDirectMap(directMap, sizes);
        }

        return new Node(fourcc, NodeKind.Ivf, h, pq);
    }

    private DirectMapInfo ReadDirectMap(long ntotal)
    {
        var type = ReadByte("direct_map.type");
        if (type > 2)
        {
            throw Corrupt($"direct map type {type} is not NoMap (0), Array (1) or Hashtable (2)");
        }

        var arrayCount = ReadVectorLength("direct_map.array", 8);
        var arrayStart = _reader.Position;
        if (type == 1)
        {
            Expect(arrayCount, ntotal, $"ntotal = {ntotal} entries (an Array direct map has one per vector)");
        }
        else
        {
            Expect(arrayCount, 0, "0 entries (only an Array direct map has them)");
        }

        Charge(Mul(arrayCount, 8), "the direct map");
        Skip(Mul(arrayCount, 8));
        long pairCount = 0;
        var pairStart = _reader.Position;
        if (type == 2)
        {
            pairCount = ReadVectorLength("direct_map.hashtable", 16);
            if (pairCount > ntotal)
            {
                // At most one per vector: FAISS writes its hash map, where duplicate ids collapse.
                throw Corrupt($"the hash table holds {pairCount} entries for {ntotal} vectors");
            }

            pairStart = _reader.Position;
            Charge(Mul(pairCount, 16 + HashMapEntryBytes), "the direct map hash table");
            Skip(Mul(pairCount, 16));
        }

        return new DirectMapInfo(type, arrayStart, arrayCount, pairStart, pairCount);
    }

    private void CheckDirectMap(DirectMapInfo map, long[] sizes)
    {
        var resume = _reader.Position;
        _field = "direct_map";
        var (start, count, stride) = map.Type == 1 ? (map.ArrayStart, map.ArrayCount, 8) : (map.PairStart, map.PairCount, 16);
        _reader.Seek(start);
        ScanInt64(count * (stride / 8), (index, value) =>
        {
            // Array: every value is an entry; Hashtable: (id, entry) pairs, entries at odd positions.
            if (stride == 16 && index % 2 == 0)
            {
                return;
            }

            if (value == -1)
            {
                return;
            }

            var list = value >> 32;
            var offset = value & 0xFFFFFFFFL;
            if (list < 0 || list >= sizes.Length || offset >= sizes[list])
            {
                _fieldStart = start + (index * 8);
                throw Corrupt($"direct map entry {index / (stride / 8)} points at list {list}, offset {offset}, which does not exist");
            }
        });
        _reader.Seek(resume);
    }

    private long[] ReadInvertedLists(long nlist, long codeSize, long ntotal, long? labelLimit)
    {
        var fourcc = ReadFourcc("invlists type");
        switch (fourcc)
        {
            case "ilar":
                break;
            case "il00":
                throw Refused("the inverted lists are stored outside the index (il00)");
            case "ilod":
            case "ilbl":
                throw Refused($"inverted lists of type '{fourcc}' (on-disk or block lists) are not supported");
            default:
                throw Corrupt($"'{Printable(fourcc)}' is not a FAISS inverted-list type");
        }

        var listCount = ReadCount("invlists.nlist");
        Expect(listCount, nlist, $"the index's nlist = {nlist}");
        var listCodeSize = ReadCount("invlists.code_size");
        Expect(listCodeSize, codeSize, $"the index's code_size = {codeSize}");

        // Bounded: nlist x 56 bytes were charged to the budget before this array of nlist x 8.
        var sizes = new long[nlist];
        var listType = ReadFourcc("invlists.list_type");
        if (listType == "full")
        {
            var count = ReadVectorLength("invlists.sizes", 8);
            Expect(count, nlist, $"nlist = {nlist} sizes");
            ScanInt64(count, (i, value) => sizes[i] = value);
        }
        else if (listType == "sprs")
        {
            var count = ReadVectorLength("invlists.sizes (sparse)", 8);
            if (count % 2 != 0)
            {
                throw Corrupt($"a sparse size table needs (list, size) pairs, but has {count} values");
            }

            var list = 0L;
            ScanInt64(count, (i, value) =>
            {
                if (i % 2 == 0)
                {
                    if (value < 0 || value >= nlist)
                    {
                        throw Corrupt($"the sparse size table names list {(ulong)value}, but there are {nlist} lists");
                    }

                    list = value;
                }
                else
                {
                    sizes[list] = value;
                }
            });
        }
        else
        {
            throw Corrupt($"'{Printable(listType)}' is not a FAISS inverted-list size table (full or sprs)");
        }

        var entryBytes = codeSize + 8;
        var total = 0L;
        for (var i = 0; i < sizes.Length; i++)
        {
            var size = sizes[i];
            if (size < 0 || size > ntotal - total)
            {
                throw Corrupt($"list {i} claims {(ulong)size} entries, but the index holds {ntotal} in all (ntotal)", "invlists.sizes");
            }

            total += size;
        }

        if (total != ntotal)
        {
            throw Corrupt($"the inverted lists hold {total} entries but ntotal is {ntotal}", "invlists.sizes");
        }

        if (Mul(total, entryBytes) > _reader.Remaining)
        {
            throw Corrupt($"{total} entries of {entryBytes} bytes need {Mul(total, entryBytes)} bytes, but only {_reader.Remaining} remain", "invlists.sizes");
        }

        if (!_memoryMapped)
        {
            Charge(Mul(total, entryBytes), "inverted list codes and ids");
        }

        for (var i = 0; i < sizes.Length; i++)
        {
            var size = sizes[i];
            if (size == 0)
            {
                continue;
            }

            _field = $"invlists[{i}].codes";
            Skip(size * codeSize);
            _field = $"invlists[{i}].ids";
            if (labelLimit is { } limit)
            {
                var list = i;
                var idsStart = _reader.Position;
                ScanInt64(size, (j, id) =>
                {
                    if (id < 0 || id >= limit)
                    {
                        _fieldStart = idsStart + (j * 8);
                        throw Corrupt($"entry {j} of list {list} has internal id {id}, outside the id map's {limit} entries");
                    }
                });
            }
            else
            {
                Skip(size * 8);
            }
        }

        return sizes;
    }
}
