using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Tessera.Indexing.Indexes;

/// <summary>
/// A parsed FAISS <c>index_factory</c> string, for the components this library supports: an
/// optional <c>IDMap</c>/<c>IDMap2</c> (first or last), pre-transforms (<c>PCA{n}</c>,
/// <c>PCAW{n}</c>, <c>PCAR{n}</c>, <c>PCAWR{n}</c>, <c>OPQ{M}[_{d}]</c>, <c>RR[{d}]</c>,
/// <c>L2norm</c>), then <c>Flat</c>, <c>PQ{M}[x{nbits}][np]</c>, <c>SQ4|SQ6|SQ8|SQfp16</c>,
/// <c>LSH[r][t]</c>, <c>HNSW[{m}][_Flat|_PQ{M}[np]|_SQ…]</c> or
/// <c>IVF{nlist}[_HNSW{m}],{Flat|PQ{M}[x{nbits}][np]|SQ…}</c>.
/// </summary>
/// <remarks>
/// <para><see cref="Parse"/> refuses what FAISS would not understand, and zero or absurd sizes
/// (<c>IVF0</c>, <c>PQ0</c>, <c>PQ16x0</c>, <c>HNSW0</c>, <c>PCA0</c>, numbers beyond 32 bits), with a
/// message naming the bad part. <see cref="FindProblem"/> then checks the string against a dimension
/// and metric: sizes that must divide or fit the dimension, components this library cannot load
/// back safely (fast-scan), and types whose results are meaningless for the metric (<c>LSH</c>, which
/// ranks by Hamming distance; HNSW-PQ with inner product, which FAISS 1.7.3 builds as L2).
/// <see cref="EstimateMemoryBytes"/> estimates what the index needs before anything is allocated, so
/// <c>IVF99999999,PQ64</c> can be refused in microseconds.</para>
/// <para>Two specs are equal when their <see cref="FactoryString"/>s are.</para>
/// </remarks>
public sealed partial class IndexFactorySpec : IEquatable<IndexFactorySpec>
{
    /// <summary>Longest factory string accepted.</summary>
    public const int MaxLength = 256;

    /// <summary>Largest HNSW neighbour count (<c>M</c>) accepted.</summary>
    public const int MaxHnswNeighbors = 4096;

    /// <summary>Largest output dimension of a pre-transform.</summary>
    public const int MaxTransformDimension = 65_536;

    /// <summary>FAISS's <c>precomputed_table_max_bytes</c>: larger IVF-PQ tables are not built.</summary>
    private const long PrecomputedTableMaxBytes = 1L << 31;

    private readonly string[] _tokens;
    private readonly int _ivfToken;

    private IndexFactorySpec(string[] tokens, int ivfToken, Parts parts)
    {
        _tokens = tokens;
        _ivfToken = ivfToken;
        FactoryString = string.Join(',', tokens);
        IdMap = parts.IdMap;
        Transforms = parts.Transforms;
        Structure = parts.Structure;
        Encoding = parts.Encoding;
        NList = parts.NList;
        CoarseQuantizerHnswNeighbors = parts.CoarseHnsw;
        HnswNeighbors = parts.Hnsw;
        PqSubQuantizers = parts.PqM;
        PqBitsPerCode = parts.PqBits;
        PqPolysemousTraining = parts.Polysemous;
        PqFastScan = parts.FastScan;
        ScalarQuantizerBits = parts.SqBits;
        LshRotation = parts.LshRotate;
        LshTrainedThresholds = parts.LshTrainThresholds;
    }

    /// <summary>The factory string (trimmed), as FAISS's <c>index_factory</c> receives it.</summary>
    public string FactoryString { get; }

    /// <summary>The id map wrapping the index, if any.</summary>
    public IndexIdMapKind IdMap { get; }

    /// <summary>Pre-transforms, in the order they apply.</summary>
    public IReadOnlyList<IndexFactoryTransform> Transforms { get; }

    /// <summary>How candidates are found.</summary>
    public IndexStructure Structure { get; }

    /// <summary>How vectors are stored.</summary>
    public IndexEncoding Encoding { get; }

    /// <summary>Inverted lists of an <see cref="IndexStructure.InvertedFile"/> index; 0 otherwise.</summary>
    public int NList { get; }

    /// <summary>Neighbours per vector of an HNSW coarse quantizer (<c>IVF{n}_HNSW{m}</c>); 0 for a flat coarse quantizer or no IVF.</summary>
    public int CoarseQuantizerHnswNeighbors { get; }

    /// <summary>Neighbours per vector (<c>M</c>) of an <see cref="IndexStructure.Hnsw"/> index; 0 otherwise.</summary>
    public int HnswNeighbors { get; }

    /// <summary>Product-quantizer sub-quantizers (<c>M</c>); 0 without a product quantizer.</summary>
    public int PqSubQuantizers { get; }

    /// <summary>Bits per product-quantizer sub-code (default 8); 0 without a product quantizer.</summary>
    public int PqBitsPerCode { get; }

    /// <summary>Whether FAISS runs polysemous training of the codebooks (a PQ without <c>np</c>).</summary>
    public bool PqPolysemousTraining { get; }

    /// <summary>Whether the product quantizer is a 4-bit fast-scan one (<c>…x4fs</c>).</summary>
    public bool PqFastScan { get; }

    /// <summary>Bits per dimension of a scalar quantizer (4, 6, 8, or 16 for <c>SQfp16</c>); 0 otherwise.</summary>
    public int ScalarQuantizerBits { get; }

    /// <summary>For <see cref="IndexEncoding.Lsh"/>, whether data is randomly rotated first (<c>LSHr</c>).</summary>
    public bool LshRotation { get; }

    /// <summary>For <see cref="IndexEncoding.Lsh"/>, whether thresholds are trained (<c>LSHt</c>).</summary>
    public bool LshTrainedThresholds { get; }

    /// <summary>Whether the index must be trained before vectors can be added.</summary>
    public bool RequiresTraining =>
        Structure == IndexStructure.InvertedFile
        || Encoding == IndexEncoding.ProductQuantizer
        || (Encoding == IndexEncoding.ScalarQuantizer && ScalarQuantizerBits != 16)
        || (Encoding == IndexEncoding.Lsh && LshTrainedThresholds)
        || Transforms.Any(t => t.Kind != IndexFactoryTransformKind.L2Normalization);

    /// <summary>Whether the index takes explicit 64-bit ids (an id map, or an inverted file); otherwise ids are positions.</summary>
    public bool AcceptsExplicitIds => IdMap != IndexIdMapKind.None || Structure == IndexStructure.InvertedFile;

    /// <summary>The fewest training vectors the product quantizer accepts (<c>2^nbits</c>); 0 without one.</summary>
    public int MinimumPqTrainingPoints => PqBitsPerCode > 0 ? 1 << PqBitsPerCode : 0;

    /// <summary>Parses <paramref name="factoryString"/>.</summary>
    /// <param name="factoryString">A FAISS factory string such as <c>IVF1024,PQ64np</c>.</param>
    /// <returns>The parsed string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factoryString"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The string is not understood, or asks for a zero or absurd size; the message names the part.</exception>
    public static IndexFactorySpec Parse(string factoryString)
    {
        ArgumentNullException.ThrowIfNull(factoryString);
        return TryParse(factoryString, out var spec, out var error) ? spec : throw new FormatException(error);
    }

    /// <summary>Parses <paramref name="factoryString"/> without throwing.</summary>
    /// <param name="factoryString">A FAISS factory string.</param>
    /// <param name="spec">The parsed string, or <see langword="null"/>.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParse([NotNullWhen(true)] string? factoryString, [NotNullWhen(true)] out IndexFactorySpec? spec) =>
        TryParse(factoryString, out spec, out _);

    /// <summary>Parses <paramref name="factoryString"/> without throwing, saying what is wrong when it does not parse.</summary>
    /// <param name="factoryString">A FAISS factory string.</param>
    /// <param name="spec">The parsed string, or <see langword="null"/>.</param>
    /// <param name="error">Why it did not parse (naming the bad part), or <see langword="null"/>.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParse([NotNullWhen(true)] string? factoryString, [NotNullWhen(true)] out IndexFactorySpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        error = Parser.Run(factoryString, out var tokens, out var ivfToken, out var parts);
        if (error is not null)
        {
            return false;
        }

        spec = new IndexFactorySpec(tokens, ivfToken, parts);
        return true;
    }

    /// <summary>The same index with <paramref name="nlist"/> inverted lists.</summary>
    /// <param name="nlist">The list count, at least 1.</param>
    /// <returns>The changed spec (this one when nothing changes).</returns>
    /// <exception cref="InvalidOperationException">The index is not an inverted file.</exception>
    public IndexFactorySpec WithNList(int nlist)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nlist, 1);
        if (Structure != IndexStructure.InvertedFile)
        {
            throw new InvalidOperationException($"'{FactoryString}' is not an inverted-file index; it has no list count.");
        }

        if (nlist == NList)
        {
            return this;
        }

        var tokens = (string[])_tokens.Clone();
        var old = tokens[_ivfToken];
        var suffix = old.IndexOf('_', StringComparison.Ordinal);
        tokens[_ivfToken] = "IVF" + nlist.ToString(CultureInfo.InvariantCulture) + (suffix < 0 ? "" : old[suffix..]);
        return Parse(string.Join(',', tokens));
    }

    /// <summary>The same index wrapped in <c>IDMap2</c> (this one when it already has an id map).</summary>
    /// <returns>The wrapped spec.</returns>
    public IndexFactorySpec WithIdMap2() => IdMap != IndexIdMapKind.None ? this : Parse("IDMap2," + FactoryString);

    /// <summary>The dimension of the vectors reaching the index after the pre-transforms.</summary>
    /// <param name="dimension">The input dimension.</param>
    /// <returns>The dimension after <see cref="Transforms"/>.</returns>
    public int GetIndexDimension(int dimension)
    {
        foreach (var t in Transforms)
        {
            dimension = t.GetOutputDimension(dimension);
        }

        return dimension;
    }

    /// <inheritdoc />
    public bool Equals(IndexFactorySpec? other) => other is not null && string.Equals(FactoryString, other.FactoryString, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IndexFactorySpec);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(FactoryString);

    /// <summary>The factory string.</summary>
    /// <returns><see cref="FactoryString"/>.</returns>
    public override string ToString() => FactoryString;

    private static long HnswLinkBytes(int m) => Add(Mul(Add(Mul(2, m), 2), 4), 12);

    private static string MetricName(VectorMetric metric) => metric == VectorMetric.L2 ? "L2" : "inner-product";

    private string PqToken() => _tokens.FirstOrDefault(t => t.Contains("PQ", StringComparison.Ordinal) && !t.StartsWith("OPQ", StringComparison.Ordinal)) ?? "PQ";

    private static long Mul(long a, long b) => SaturatingArithmetic.Multiply(a, b);

    private static long Add(long a, long b) => SaturatingArithmetic.Add(a, b);

    [GeneratedRegex(@"^PCA(?<w>W?)(?<r>R?)(?<n>[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PcaPattern();

    [GeneratedRegex(@"^OPQ(?<m>[0-9]+)(?:_(?<d>[0-9]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex OpqPattern();

    [GeneratedRegex(@"^RR(?<n>[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex RandomRotationPattern();

    [GeneratedRegex(@"^PQ(?<m>[0-9]+)(?:x(?<bits>[0-9]+))?(?<np>np)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PqPattern();

    [GeneratedRegex(@"^PQ(?<m>[0-9]+)x4fs(?<r>r?)(?:_(?<bbs>[0-9]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PqFastScanPattern();

    [GeneratedRegex(@"^IVF(?<n>[0-9]+)(?:_HNSW(?<m>[0-9]*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex IvfPattern();

    [GeneratedRegex(@"^HNSW(?<m>[0-9]*)(?:_(?<code>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex HnswPattern();

    [GeneratedRegex(@"^LSH(?<r>r?)(?<t>t?)$", RegexOptions.CultureInvariant)]
    private static partial Regex LshPattern();

    /// <summary>The pieces one parse finds.</summary>
    private sealed class Parts
    {
        public IndexIdMapKind IdMap { get; set; }

        public List<IndexFactoryTransform> Transforms { get; } = [];

        public IndexStructure Structure { get; set; }

        public IndexEncoding Encoding { get; set; }

        public int NList { get; set; }

        public int CoarseHnsw { get; set; }

        public int Hnsw { get; set; }

        public int PqM { get; set; }

        public int PqBits { get; set; }

        public bool Polysemous { get; set; }

        public bool FastScan { get; set; }

        public int SqBits { get; set; }

        public bool LshRotate { get; set; }

        public bool LshTrainThresholds { get; set; }
    }

}
