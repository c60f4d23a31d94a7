using System.Text;

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
internal sealed partial class FaissIndexValidator
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
