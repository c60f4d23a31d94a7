using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Faiss.Validation;

/// <summary>
/// Walks a FAISS 1.7.3 index file (or buffer) structurally, field by field as
/// <c>faiss/impl/index_read.cpp</c> reads it, before FAISS's own reader sees a byte. Every length
/// field is bounded by the bytes that remain, every size is checked against the sizes it must agree
/// with, every value FAISS would divide by, shift by or index with is range-checked, and the memory
/// FAISS's reader will allocate is summed and held to a budget as the walk goes. Anything it cannot
/// vouch for is refused with a typed <see cref="FaissException"/>.
/// </summary>
/// <remarks>
/// <para>Supported (the types this library writes or reads): flat (<c>IxF2</c>, <c>IxFI</c>,
/// <c>IxFl</c>), product quantizer (<c>IxPq</c>), scalar quantizer (<c>IxSQ</c>), IVF-Flat
/// (<c>IwFl</c>), IVF-PQ (<c>IwPQ</c>), IVF-SQ (<c>IwSq</c>, <c>IwSQ</c>), id maps (<c>IxMp</c>,
/// <c>IxM2</c>), pre-transforms (<c>IxPT</c> with PCA, OPQ/linear, random rotation, normalisation,
/// centering) and HNSW over flat, SQ or PQ storage (<c>IHNf</c>, <c>IHNs</c>, <c>IHNp</c>). IVF
/// coarse quantizers may be flat or HNSW.</para>
/// <para>The memory estimate counts what the reader allocates: stored arrays, inverted-list headers,
/// the IVF-PQ precomputed table (when FAISS builds it), HNSW-PQ's distance table and IDMap2's
/// reverse map. With memory-mapping, inverted-list payloads are not counted.</para>
/// <para>The walk itself holds at most a 64 KiB buffer plus, for IVF and HNSW, one small array per
/// list or vector, allocated only after the budget has accepted the much larger FAISS structures.</para>
/// </remarks>
internal sealed class FaissIndexValidator
{
    private const string Operation = "read_index";
    private const int MaxDepth = 8;
    private const int MaxDimension = 1 << 20;
    private const int MaxTransforms = 16;
    private const int MaxHnswLevels = 64;
    private const int MaxHnswNeighborsPerNode = 1 << 16;
    private const int MaxSearchBreadth = 1 << 20;
    private const long InvertedListHeaderBytes = 48 + 8;
    private const long PrecomputedTableMaxBytes = 1L << 31;
    private const long HashMapEntryBytes = 48;

    private const int MetricInnerProduct = 0;
    private const int MetricL2 = 1;

    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["IxPQ"] = "legacy product quantizer",
        ["IxPo"] = "legacy polysemous product quantizer",
        ["IvFl"] = "legacy IVF-Flat",
        ["IvFL"] = "legacy IVF-Flat",
        ["IvPQ"] = "legacy IVF-PQ",
        ["IvQR"] = "legacy IVF-PQR",
        ["IwQR"] = "IVF-PQ with refinement (IVFPQR)",
        ["IvSQ"] = "legacy IVF-SQ",
        ["IwFd"] = "IVF-Flat with deduplication",
        ["IxHE"] = "legacy LSH",
        ["IxHe"] = "LSH (Hamming-distance codes)",
        ["IxRF"] = "refinement (RFlat/Refine)",
        ["Ix2L"] = "two-level residual index",
        ["IHN2"] = "two-level HNSW",
        ["Imiq"] = "multi-index quantizer",
        ["IxLa"] = "lattice quantizer",
        ["IwSh"] = "IVF spectral hash",
        ["IPfs"] = "PQ fast-scan",
        ["IwPf"] = "IVF-PQ fast-scan",
        ["IxRQ"] = "residual quantizer",
        ["IxRq"] = "residual quantizer",
        ["IxLS"] = "local search quantizer",
        ["IxPR"] = "product residual quantizer",
        ["IxPL"] = "product local search quantizer",
        ["ImRQ"] = "residual coarse quantizer",
        ["IwRQ"] = "IVF residual quantizer",
        ["IwLS"] = "IVF local search quantizer",
        ["IwPR"] = "IVF product residual quantizer",
        ["IwPL"] = "IVF product local search quantizer",
        ["INSf"] = "NSG",
        ["INSp"] = "NSG-PQ",
        ["INSs"] = "NSG-SQ",
        ["INNf"] = "NN-descent",
        ["IRMf"] = "row-wise min-max",
        ["IRMh"] = "row-wise min-max (fp16)",
        ["IwIQ"] = "IVF with an independent quantizer",
        ["null"] = "missing index",
    };

    private readonly FaissIndexReader _reader;
    private readonly long _budget;
    private readonly bool _memoryMapped;
    private readonly List<string> _path = [];
    private readonly StringBuilder _structure = new();
    private long _memory;
    private long _fieldStart;
    private string _field = "fourcc";

    private FaissIndexValidator(FaissIndexReader reader, long budget, bool memoryMapped)
    {
        _reader = reader;
        _budget = budget;
        _memoryMapped = memoryMapped;
    }

    private enum NodeKind
    {
        Flat,
        ProductQuantizer,
        ScalarQuantizer,
        Ivf,
        IdMap,
        PreTransform,
        Hnsw,
    }

    /// <summary>Validates the index held by <paramref name="stream"/> (from its current position to its end).</summary>
    /// <param name="stream">A seekable stream.</param>
    /// <param name="maxMemoryBytes">The memory budget.</param>
    /// <param name="memoryMapped">Whether FAISS will memory-map the inverted lists instead of reading them.</param>
    /// <returns>What was found.</returns>
    /// <exception cref="FaissException">The index is corrupt, unsupported, or over the budget.</exception>
    public static FaissIndexSummary Validate(Stream stream, long maxMemoryBytes, bool memoryMapped)
    {
        var validator = new FaissIndexValidator(new FaissIndexReader(stream), maxMemoryBytes, memoryMapped);
        return validator.Run();
    }

    /// <summary>Validates an index held in memory.</summary>
    /// <param name="data">The bytes of an index file.</param>
    /// <param name="maxMemoryBytes">The memory budget.</param>
    /// <returns>What was found.</returns>
    public static unsafe FaissIndexSummary Validate(ReadOnlySpan<byte> data, long maxMemoryBytes)
    {
        fixed (byte* p = data)
        {
            byte dummy = 0;
            using var stream = new UnmanagedMemoryStream(p == null ? &dummy : p, data.Length);
            return Validate(stream, maxMemoryBytes, memoryMapped: false);
        }
    }

    private FaissIndexSummary Run()
    {
        if (_reader.Length < 4)
        {
            _fieldStart = 0;
            throw Corrupt($"{_reader.Length} bytes cannot hold a FAISS index (not even its 4-byte type code)");
        }

        try
        {
            var top = ReadIndex(labelLimit: null, depth: 0);
            if (_reader.Remaining != 0)
            {
                _fieldStart = _reader.Position;
                _field = "end";
                throw Corrupt($"{_reader.Remaining} unexpected bytes follow the index");
            }

            return new FaissIndexSummary(_structure.ToString(), top.Dimension, top.Count, top.Metric, top.IsTrained, _memory);
        }
        catch (EndOfStreamException e)
        {
            throw Corrupt(e.Message);
        }
    }

    private Node ReadIndex(long? labelLimit, int depth)
    {
        _fieldStart = _reader.Position;
        _field = "fourcc";
        var fourcc = ReadFourcc("index type");
        if (depth >= MaxDepth)
        {
            throw Refused($"indexes nested more than {MaxDepth} deep are not supported");
        }

        if (_structure.Length > 0)
        {
            _structure.Append(" > ");
        }

        _structure.Append(fourcc);
        _path.Add(fourcc);
        try
        {
            return fourcc switch
            {
                "IxF2" or "IxFI" or "IxFl" => ReadFlat(fourcc),
                "IxPq" => ReadPq(fourcc),
                "IxSQ" => ReadSq(fourcc),
                "IwFl" or "IwPQ" or "IwSq" or "IwSQ" => ReadIvf(fourcc, labelLimit, depth),
                "IxMp" or "IxM2" => ReadIdMap(fourcc, depth),
                "IxPT" => ReadPreTransform(fourcc, labelLimit, depth),
                "IHNf" or "IHNs" or "IHNp" => ReadHnsw(fourcc, depth),
                _ => throw UnknownType(fourcc, "index type"),
            };
        }
        finally
        {
            _path.RemoveAt(_path.Count - 1);
        }
    }

    private Node ReadFlat(string fourcc)
    {
        var h = ReadHeader();
        if (fourcc == "IxF2" && h.Metric != MetricL2)
        {
            throw Corrupt("a flat L2 index (IxF2) must have metric L2 (1)", "metric_type");
        }

        if (fourcc == "IxFI" && h.Metric != MetricInnerProduct)
        {
            throw Corrupt("a flat inner-product index (IxFI) must have metric inner product (0)", "metric_type");
        }

        if (!h.IsTrained)
        {
            throw Corrupt("a flat index is always trained, but is_trained is 0", "is_trained");
        }

        var floats = ReadVectorLength("xb (stored vectors)", 4);
        Expect(floats, Mul(h.Count, h.Dimension), $"ntotal x d = {h.Count} x {h.Dimension} floats");
        Charge(Mul(floats, 4), "flat vectors");
        Skip(Mul(floats, 4));
        return new Node(fourcc, NodeKind.Flat, h, null);
    }

    private Node ReadPq(string fourcc)
    {
        var h = ReadHeader();
        var pq = ReadProductQuantizer(h.Dimension);
        var codes = ReadVectorLength("codes", 1);
        Expect(codes, Mul(h.Count, pq.CodeSize), $"ntotal x code_size = {h.Count} x {pq.CodeSize} bytes");
        Charge(codes, "PQ codes");
        Skip(codes);
        var searchType = ReadInt32("search_type");
        if (searchType is < 0 or > 5)
        {
            throw Corrupt($"search type {searchType} is not a FAISS IndexPQ search type (0-5)");
        }

        if (searchType != 0 && !(searchType == 4 && pq.Bits == 8 && h.Metric == MetricL2))
        {
            throw Refused($"IndexPQ search type {searchType} is not supported (only asymmetric PQ search, 0, and polysemous search, 4, with 8-bit codes and L2)");
        }

        ReadBool("encode_signs");
        ReadInt32("polysemous_ht");
        return new Node(fourcc, NodeKind.ProductQuantizer, h, pq);
    }

    private Node ReadSq(string fourcc)
    {
        var h = ReadHeader();
        var sq = ReadScalarQuantizer(h.Dimension, h.IsTrained);
        var codes = ReadVectorLength("codes", 1);
        Expect(codes, Mul(h.Count, sq.CodeSize), $"ntotal x code_size = {h.Count} x {sq.CodeSize} bytes");
        Charge(codes, "SQ codes");
        Skip(codes);
        return new Node(fourcc, NodeKind.ScalarQuantizer, h, null);
    }

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

    private Node ReadIdMap(string fourcc, int depth)
    {
        var h = ReadHeader();
        var sub = ReadIndex(labelLimit: h.Count, depth + 1);
        _field = "index";
        CheckWrapped(h, sub, h.Dimension, "id map");
        var ids = ReadVectorLength("id_map", 8);
        Expect(ids, h.Count, $"ntotal = {h.Count} ids");
        Charge(Mul(ids, fourcc == "IxM2" ? 8 + HashMapEntryBytes : 8), "the id map");
        Skip(Mul(ids, 8));
        return new Node(fourcc, NodeKind.IdMap, h, null);
    }

    private Node ReadPreTransform(string fourcc, long? labelLimit, int depth)
    {
        var h = ReadHeader();
        var count = ReadInt32("chain length");
        if (count is < 0 or > MaxTransforms)
        {
            throw Corrupt($"a chain of {count} transforms is out of range (0-{MaxTransforms})");
        }

        var d = h.Dimension;
        var allTrained = true;
        for (var i = 0; i < count; i++)
        {
            _path.Add($"chain[{i}]");
            try
            {
                var (dIn, dOut, trained) = ReadVectorTransform();
                if (dIn != d)
                {
                    throw Corrupt($"transform {i} takes {dIn}-d input but receives {d}-d vectors", "d_in");
                }

                d = dOut;
                allTrained &= trained;
            }
            finally
            {
                _path.RemoveAt(_path.Count - 1);
            }
        }

        var sub = ReadIndex(labelLimit, depth + 1);
        _field = "index";
        CheckWrapped(h, sub, d, "pre-transform");
        if (!allTrained && (h.IsTrained || h.Count > 0))
        {
            throw Corrupt("an untrained transform sits in front of a trained (or non-empty) index", "chain");
        }

        return new Node(fourcc, NodeKind.PreTransform, h, null);
    }

    private (int DIn, int DOut, bool Trained) ReadVectorTransform()
    {
        var fourcc = ReadFourcc("transform type");
        _path.Add(fourcc);
        try
        {
            long matrix = -1;
            long bias = -1;
            long mean = -1;
            var haveBias = false;
            var isLinear = false;
            switch (fourcc)
            {
                case "PCAm":
                case "PcAm":
                case "Pcam":
                    ReadSingle("eigen_power");
                    if (fourcc == "Pcam")
                    {
                        ReadSingle("epsilon");
                    }

                    ReadBool("random_rotation");
                    if (fourcc != "PCAm")
                    {
                        ReadInt32("balanced_bins");
                    }

                    SkipFloatVector("mean");
                    SkipFloatVector("eigenvalues");
                    SkipFloatVector("PCAMat");
                    goto case "LTra";
                case "rrot":
                case "LTra":
                    isLinear = true;
                    haveBias = ReadBool("have_bias");
                    matrix = SkipFloatVector("A");
                    bias = SkipFloatVector("b");
                    break;
                case "VNrm":
                    ReadSingle("norm");
                    break;
                case "VCnt":
                    mean = SkipFloatVector("mean");
                    break;
                case "RmDT":
                    throw Refused("dimension remapping (Pad) transforms are not supported");
                case "Viqm":
                case "Viqt":
                    throw Refused("ITQ transforms are not supported");
                default:
                    throw UnknownTransform(fourcc);
            }

            var dIn = ReadInt32("d_in");
            var dOut = ReadInt32("d_out");
            var trained = ReadBool("is_trained");
            if (dIn <= 0 || dOut <= 0)
            {
                throw Corrupt($"transform dimensions {dIn} -> {dOut} must be positive", "d_in");
            }

            if (isLinear)
            {
                var expected = Mul(dIn, dOut);
                if (trained ? matrix != expected : matrix != 0 && matrix != expected)
                {
                    throw Corrupt($"the matrix holds {matrix} floats; a {dIn} -> {dOut} transform needs {expected}", "A");
                }

                if (haveBias ? bias != dOut : bias != 0 && bias != dOut)
                {
                    throw Corrupt($"the bias holds {bias} floats; a transform to {dOut}-d needs {(haveBias ? dOut : 0)}", "b");
                }
            }
            else
            {
                if (dIn != dOut)
                {
                    throw Corrupt($"a {fourcc} transform keeps the dimension, but maps {dIn} -> {dOut}", "d_out");
                }

                if (mean >= 0 && (trained ? mean != dIn : mean != 0 && mean != dIn))
                {
                    throw Corrupt($"the mean holds {mean} floats for {dIn}-d vectors", "mean");
                }
            }

            return (dIn, dOut, trained);
        }
        finally
        {
            _path.RemoveAt(_path.Count - 1);
        }
    }

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

    private PqShape ReadProductQuantizer(int d)
    {
        var pqD = ReadUInt64("pq.d");
        if (pqD != (ulong)d)
        {
            throw Corrupt($"the product quantizer is {pqD}-d but the index is {d}-d");
        }

        var m = ReadUInt64("pq.M");
        if (m == 0)
        {
            throw Corrupt("pq.M is 0: a product quantizer needs at least one sub-quantizer");
        }

        if (m > (ulong)d || (ulong)d % m != 0)
        {
            throw Corrupt($"pq.M = {m} does not divide the dimension {d}");
        }

        var nbits = ReadUInt64("pq.nbits");
        if (nbits is 0 or > 24)
        {
            throw Corrupt($"pq.nbits = {nbits} is out of range (1-16)");
        }

        if (nbits > 16)
        {
            throw Refused($"pq.nbits = {nbits}: codes wider than 16 bits are not supported");
        }

        var centroids = 1L << (int)nbits;
        var floats = ReadVectorLength("pq.centroids", 4);
        Expect(floats, Mul(d, centroids), $"d x 2^nbits = {d} x {centroids} floats");
        Charge(Mul(floats, 4), "PQ codebooks");
        Skip(Mul(floats, 4));
        return new PqShape((int)m, (int)nbits, centroids, (((long)m * (long)nbits) + 7) / 8);
    }

    private SqShape ReadScalarQuantizer(int d, bool trained)
    {
        var type = ReadInt32("sq.qtype");
        if (type is < 0 or > 6)
        {
            throw Corrupt($"scalar quantizer type {type} is not a FAISS 1.7.3 type (0-6)");
        }

        var rangeStat = ReadInt32("sq.rangestat");
        if (rangeStat is < 0 or > 3)
        {
            throw Corrupt($"range statistic {rangeStat} is not a FAISS range statistic (0-3)");
        }

        ReadSingle("sq.rangestat_arg");
        var sqD = ReadUInt64("sq.d");
        if (sqD != (ulong)d)
        {
            throw Corrupt($"the scalar quantizer is {sqD}-d but the index is {d}-d");
        }

        var codeSize = ReadCount("sq.code_size");
        var (expectedCode, trainedFloats) = type switch
        {
            0 => ((long)d, 2L * d),                  // QT_8bit
            1 => ((d + 1L) / 2, 2L * d),             // QT_4bit
            2 => ((long)d, 2L),                      // QT_8bit_uniform
            3 => ((d + 1L) / 2, 2L),                 // QT_4bit_uniform
            4 => (2L * d, 0L),                       // QT_fp16
            5 => ((long)d, 0L),                      // QT_8bit_direct
            _ => (((d * 6L) + 7) / 8, 2L * d),       // QT_6bit
        };
        Expect(codeSize, expectedCode, $"{expectedCode} bytes for {d}-d vectors of type {type}", "sq.code_size");
        var floats = ReadVectorLength("sq.trained", 4);
        if (floats != trainedFloats && !(floats == 0 && !trained))
        {
            throw Corrupt($"the scalar quantizer holds {floats} trained values; type {type} on {d}-d vectors needs {trainedFloats}", "sq.trained");
        }

        Charge(Mul(floats, 4), "SQ ranges");
        Skip(Mul(floats, 4));
        return new SqShape(codeSize);
    }

    private Header ReadHeader()
    {
        var d = ReadInt32("d");
        if (d <= 0 || d > MaxDimension)
        {
            throw Corrupt(d <= 0 ? $"dimension d = {d} must be positive" : $"dimension d = {d} is out of range (1-{MaxDimension})");
        }

        var count = ReadInt64("ntotal");
        if (count < 0)
        {
            throw Corrupt($"ntotal = {count} must not be negative");
        }

        Skip(16, "reserved");
        var trained = ReadBool("is_trained");
        var trainedAt = _fieldStart;
        var metric = ReadInt32("metric_type");
        switch (metric)
        {
            case MetricInnerProduct:
            case MetricL2:
                break;
            case 2 or 3 or 4 or 20 or 21 or 22:
                throw Refused($"metric type {metric} (L1, Linf, Lp, Canberra, BrayCurtis or JensenShannon) is not supported; only L2 (1) and inner product (0) are");
            default:
                throw Corrupt($"metric type {metric} is neither inner product (0) nor L2 (1)");
        }

        if (!trained && count > 0)
        {
            _fieldStart = trainedAt;
            throw Corrupt($"the index holds {count} vectors but is marked untrained", "is_trained");
        }

        return new Header(d, count, trained, metric);
    }

    private void CheckWrapped(Header outer, Node inner, int innerDimension, string what)
    {
        if (inner.Dimension != innerDimension)
        {
            throw Corrupt($"the {what} is over {innerDimension}-d vectors but its index is {inner.Dimension}-d");
        }

        if (inner.Count != outer.Count)
        {
            throw Corrupt($"the {what} counts {outer.Count} vectors but its index holds {inner.Count}");
        }

        if (inner.Metric != outer.Metric)
        {
            throw Corrupt($"the {what} has metric {outer.Metric} but its index has metric {inner.Metric}");
        }

        if (outer.IsTrained && !inner.IsTrained)
        {
            throw Corrupt($"the {what} is marked trained but its index is not");
        }
    }

    private void ScanInt64(long count, Action<long, long> visit) => Scan(count, visit);

    private void ScanInt32(long count, Action<long, int> visit) => Scan(count, visit);

    /// <summary>Reads <paramref name="count"/> little-endian integers in buffer-sized chunks, handing each to <paramref name="visit"/> with its index.</summary>
    private void Scan<T>(long count, Action<long, T> visit)
        where T : unmanaged, IBinaryInteger<T>
    {
        var size = Unsafe.SizeOf<T>();
        var start = _reader.Position;
        if (Mul(count, size) > _reader.Remaining)
        {
            throw Corrupt($"{count} {size}-byte values need {Mul(count, size)} bytes, but only {_reader.Remaining} remain");
        }

        var index = 0L;
        while (index < count)
        {
            var chunk = (int)Math.Min(count - index, FaissIndexReader.BufferSize / size);
            var bytes = _reader.Take(chunk * size);
            var values = MemoryMarshal.Cast<byte, T>(bytes);
            for (var i = 0; i < chunk; i++)
            {
                _fieldStart = start + ((index + i) * size);
                visit(index + i, BitConverter.IsLittleEndian ? values[i] : T.ReadLittleEndian(bytes.Slice(i * size, size), isUnsigned: false));
            }

            index += chunk;
        }
    }

    private long SkipFloatVector(string field)
    {
        var count = ReadVectorLength(field, 4);
        Charge(Mul(count, 4), field);
        Skip(Mul(count, 4));
        return count;
    }

    /// <summary>A FAISS <c>READVECTOR</c> length: elements of <paramref name="elementSize"/> bytes that must all be present.</summary>
    private long ReadVectorLength(string field, int elementSize)
    {
        var count = ReadUInt64(field + " length");
        if (count > (ulong)(_reader.Remaining / elementSize))
        {
            throw Corrupt($"the length field says {count} elements of {elementSize} bytes, but only {_reader.Remaining} bytes remain");
        }

        return (long)count;
    }

    /// <summary>A size field that must fit a non-negative 64-bit integer.</summary>
    private long ReadCount(string field)
    {
        var value = ReadUInt64(field);
        if (value > long.MaxValue)
        {
            throw Corrupt($"{field} = {value} is out of range");
        }

        return (long)value;
    }

    private void Expect(long actual, long expected, string what, string? field = null)
    {
        if (actual != expected)
        {
            throw Corrupt($"found {actual} where {what} are required", field);
        }
    }

    private void Skip(long bytes, string? field = null)
    {
        if (field is not null)
        {
            Begin(field, bytes);
        }
        else if (bytes > _reader.Remaining)
        {
            _fieldStart = _reader.Position;
            throw Corrupt($"{bytes} bytes are needed but only {_reader.Remaining} remain (truncated?)");
        }

        _reader.Seek(_reader.Position + bytes);
    }

    private void Charge(long bytes, string what)
    {
        _memory = Add(_memory, bytes);
        if (_memory > _budget)
        {
            throw new FaissException(
                FaissErrorKind.MemoryBudgetExceeded,
                Operation,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"loading this index needs at least {_memory:N0} bytes ({what}: {bytes:N0}), more than the memory budget of {_budget:N0} bytes (FaissIndexOptions.MaxMemoryBytes) ({Where()})"));
        }
    }

    private void Begin(string field, long bytes)
    {
        _field = field;
        _fieldStart = _reader.Position;
        if (bytes > _reader.Remaining)
        {
            throw Corrupt($"{bytes} bytes are needed but only {_reader.Remaining} remain (truncated?)");
        }
    }

    private string ReadFourcc(string field)
    {
        Begin(field, 4);
        var bytes = _reader.Take(4);
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            chars[i] = (char)bytes[i];
        }

        return new string(chars);
    }

    private byte ReadByte(string field)
    {
        Begin(field, 1);
        return _reader.ReadByte();
    }

    private bool ReadBool(string field)
    {
        Begin(field, 1);
        var value = _reader.ReadByte();
        if (value > 1)
        {
            throw Corrupt($"a boolean holds {value}; only 0 and 1 are valid");
        }

        return value == 1;
    }

    private int ReadInt32(string field)
    {
        Begin(field, 4);
        return _reader.ReadInt32();
    }

    private long ReadInt64(string field)
    {
        Begin(field, 8);
        return _reader.ReadInt64();
    }

    private ulong ReadUInt64(string field)
    {
        Begin(field, 8);
        return _reader.ReadUInt64();
    }

    private float ReadSingle(string field)
    {
        Begin(field, 4);
        return _reader.ReadSingle();
    }

    private FaissException UnknownType(string fourcc, string what) =>
        Unsupported.TryGetValue(fourcc, out var name)
            ? Refused($"index type '{fourcc}' ({name}) is not supported")
            : Corrupt($"'{Printable(fourcc)}' is not a FAISS {what}");

    private FaissException UnknownTransform(string fourcc) =>
        Corrupt($"'{Printable(fourcc)}' is not a FAISS vector transform");

    private FaissException Corrupt(string problem, string? field = null)
    {
        if (field is not null)
        {
            _field = field;
        }

        return new FaissException(FaissErrorKind.CorruptIndex, Operation, $"corrupt index: {problem} ({Where()})");
    }

    private FaissException Refused(string problem) =>
        new(FaissErrorKind.UnsupportedIndex, Operation, $"unsupported index: {problem} ({Where()})");

    private string Where()
    {
        var path = _path.Count == 0 ? _field : string.Join(" > ", _path) + "." + _field;
        return string.Create(CultureInfo.InvariantCulture, $"{path} at byte {_fieldStart}");
    }

    private static string Printable(string fourcc)
    {
        var sb = new StringBuilder();
        foreach (var c in fourcc)
        {
            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return sb.ToString();
    }

    private static long Mul(long a, long b) => SaturatingArithmetic.Multiply(a, b);

    private static long Add(long a, long b) => SaturatingArithmetic.Add(a, b);

    private readonly record struct Header(int Dimension, long Count, bool IsTrained, int Metric);

    private sealed record PqShape(int SubQuantizers, int Bits, long Centroids, long CodeSize);

    private sealed record SqShape(long CodeSize);

    private readonly record struct DirectMapInfo(byte Type, long ArrayStart, long ArrayCount, long PairStart, long PairCount);

    private sealed record Node(string Fourcc, NodeKind Kind, Header Header, PqShape? Pq)
    {
        public int Dimension => Header.Dimension;

        public long Count => Header.Count;

        public int Metric => Header.Metric;

        public bool IsTrained => Header.IsTrained;
    }
}
