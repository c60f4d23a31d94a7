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

    /// <summary>What is wrong with building this index over <paramref name="dimension"/>-d vectors with <paramref name="metric"/>.</summary>
    /// <param name="dimension">Vector dimension.</param>
    /// <param name="metric">The metric.</param>
    /// <returns>A message naming the bad part, or <see langword="null"/> when the string fits.</returns>
    public string? FindProblem(int dimension, VectorMetric metric)
    {
        if (dimension <= 0)
        {
            return $"The dimension must be positive; got {dimension}.";
        }

        var d = dimension;
        foreach (var t in Transforms)
        {
            switch (t.Kind)
            {
                case IndexFactoryTransformKind.Pca when t.OutputDimension > d:
                    return $"'{t}' in '{FactoryString}' cannot reduce {d}-d vectors to {t.OutputDimension} dimensions; use PCA1 to PCA{d}.";
                case IndexFactoryTransformKind.Opq when t.GetOutputDimension(d) % t.SubQuantizers != 0:
                    return $"'{t}' in '{FactoryString}' rotates to {t.GetOutputDimension(d)} dimensions, which is not a multiple of its {t.SubQuantizers} sub-quantizers.";
            }

            d = t.GetOutputDimension(d);
        }

        if (Encoding == IndexEncoding.ProductQuantizer && (PqSubQuantizers > d || d % PqSubQuantizers != 0))
        {
            return $"'{PqToken()}' in '{FactoryString}' splits vectors into {PqSubQuantizers} sub-vectors, but {d} (the dimension {(Transforms.Count > 0 ? "after the pre-transforms" : "of the vectors")}) is not a multiple of {PqSubQuantizers}.";
        }

        if (PqFastScan)
        {
            return $"'{PqToken()}' in '{FactoryString}' is a fast-scan product quantizer, which Tessera does not support: its files cannot be validated before FAISS loads them. Use a product quantizer without 'fs' (for example 'PQ{PqSubQuantizers}np').";
        }

        if (PqPolysemousTraining && PqBitsPerCode > 8)
        {
            return $"'{PqToken()}' in '{FactoryString}' asks for polysemous training of {PqBitsPerCode}-bit codes, which FAISS supports only for 8-bit codes; add 'np' (for example 'PQ{PqSubQuantizers}x{PqBitsPerCode}np').";
        }

        if (Encoding == IndexEncoding.Lsh)
        {
            return $"'LSH' in '{FactoryString}' ranks by Hamming distance between binary codes, which is neither L2 nor inner product: its scores and rankings would be meaningless for a {MetricName(metric)} index. Use Flat, PQ, SQ, HNSW or IVF instead.";
        }

        if (Structure == IndexStructure.Hnsw && Encoding == IndexEncoding.ProductQuantizer && metric != VectorMetric.L2)
        {
            return $"'{FactoryString}': FAISS 1.7.3 builds HNSW with PQ storage for L2 only, so its rankings would be meaningless for an inner-product index. Use HNSW{HnswNeighbors}_SQ8 or HNSW{HnswNeighbors}.";
        }

        return null;
    }

    /// <summary>Throws when <see cref="FindProblem"/> finds a problem.</summary>
    /// <param name="dimension">Vector dimension.</param>
    /// <param name="metric">The metric.</param>
    /// <exception cref="ArgumentException">The string does not fit the dimension or metric.</exception>
    public void Validate(int dimension, VectorMetric metric)
    {
        var problem = FindProblem(dimension, metric);
        if (problem is not null)
        {
            throw new ArgumentException(problem, "factoryString");
        }
    }

    /// <summary>Things that work but whose results may surprise (none for most strings).</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>One message per concern.</returns>
    public IReadOnlyList<string> GetWarnings(VectorMetric metric)
    {
        var warnings = new List<string>();
        if (metric == VectorMetric.InnerProduct && Transforms.Any(t => t.Kind == IndexFactoryTransformKind.Pca))
        {
            warnings.Add($"'{FactoryString}': PCA subtracts the training mean before projecting, so inner products after it are not the inner products of the original vectors (each score shifts by the vector's projection on the mean).");
        }

        return warnings;
    }

    /// <summary>
    /// Estimates the memory, in bytes, the index needs over <paramref name="dimension"/>-d vectors:
    /// centroids, codebooks, transform matrices, inverted-list headers and the IVF-PQ precomputed
    /// table FAISS builds after training, plus <paramref name="vectorCount"/> stored vectors (codes,
    /// ids, graph links). Saturates at <see cref="long.MaxValue"/>.
    /// </summary>
    /// <param name="dimension">Vector dimension.</param>
    /// <param name="metric">The metric (IVF-PQ builds its precomputed table only for L2).</param>
    /// <param name="vectorCount">Vectors to store.</param>
    /// <returns>The estimate.</returns>
    public long EstimateMemoryBytes(int dimension, VectorMetric metric, long vectorCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(vectorCount);
        long d = dimension;
        var fixedBytes = 0L;
        foreach (var t in Transforms)
        {
            long dOut = t.GetOutputDimension((int)Math.Min(d, int.MaxValue));
            fixedBytes = Add(fixedBytes, t.Kind switch
            {
                IndexFactoryTransformKind.Pca => Mul(4, Add(Add(Mul(d, d), Mul(dOut, d)), Add(Mul(2, d), dOut))),
                IndexFactoryTransformKind.Opq => Mul(4, Add(Mul(Math.Max(d, dOut), dOut), dOut)),
                IndexFactoryTransformKind.RandomRotation => Mul(4, Mul(Math.Max(d, dOut), dOut)),
                _ => 0,
            });
            d = dOut;
        }

        var centroids = PqBitsPerCode > 0 ? 1L << PqBitsPerCode : 0;
        var (codeBytes, encodingBytes) = Encoding switch
        {
            IndexEncoding.ProductQuantizer => ((((long)PqSubQuantizers * PqBitsPerCode) + 7) / 8, Mul(Mul(d, centroids), 4)),
            IndexEncoding.ScalarQuantizer => (ScalarQuantizerBits switch
            {
                4 => (d + 1) / 2,
                6 => ((d * 6) + 7) / 8,
                16 => Mul(d, 2),
                _ => d,
            }, Mul(d, 8)),
            IndexEncoding.Lsh => ((d + 7) / 8, Add(Mul(d, 4), LshRotation ? Mul(Mul(d, d), 4) : 0)),
            _ => (Mul(d, 4), 0L),
        };
        fixedBytes = Add(fixedBytes, encodingBytes);
        var sdcTable = Mul(PqSubQuantizers, Mul(Mul(centroids, centroids), 4));
        long perVector;
        switch (Structure)
        {
            case IndexStructure.InvertedFile:
                // Centroids, ArrayInvertedLists' two vectors per list, per-probe search scratch.
                fixedBytes = Add(fixedBytes, Mul(NList, Add(Mul(d, 4), 48 + 12)));
                if (CoarseQuantizerHnswNeighbors > 0)
                {
                    fixedBytes = Add(fixedBytes, Mul(NList, HnswLinkBytes(CoarseQuantizerHnswNeighbors)));
                }

                if (Encoding == IndexEncoding.ProductQuantizer && metric == VectorMetric.L2)
                {
                    var table = Mul(Mul(NList, PqSubQuantizers), Mul(centroids, 4));
                    fixedBytes = Add(fixedBytes, table <= PrecomputedTableMaxBytes ? table : 0);
                }

                if (PqPolysemousTraining)
                {
                    fixedBytes = Add(fixedBytes, sdcTable);
                }

                perVector = codeBytes + 8;
                break;
            case IndexStructure.Hnsw:
                if (Encoding == IndexEncoding.ProductQuantizer)
                {
                    fixedBytes = Add(fixedBytes, sdcTable);
                }

                perVector = Add(codeBytes, HnswLinkBytes(HnswNeighbors));
                break;
            default:
                perVector = codeBytes;
                break;
        }

        perVector += IdMap switch
        {
            IndexIdMapKind.IdMap => 8,
            IndexIdMapKind.IdMap2 => 8 + 48,
            _ => 0,
        };
        return Add(fixedBytes, Mul(perVector, vectorCount));
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

    /// <summary>One parse of one string; the first problem found is returned as a message.</summary>
    private sealed class Parser
    {
        private readonly string _text;
        private readonly Parts _parts = new();

        private Parser(string text) => _text = text;

        public static string? Run(string? factoryString, out string[] tokens, out int ivfToken, out Parts parts)
        {
            tokens = [];
            ivfToken = -1;
            parts = new Parts();
            if (string.IsNullOrWhiteSpace(factoryString))
            {
                return "The index factory string is empty; use for example 'Flat', 'IVF1024,Flat' or 'IVF1024,PQ64np'.";
            }

            var text = factoryString.Trim();
            if (text.Length > MaxLength)
            {
                return $"The index factory string is {text.Length} characters long; at most {MaxLength} are accepted.";
            }

            var parser = new Parser(text);
            tokens = text.Split(',');
            var error = parser.Parse(tokens, out ivfToken);
            parts = parser._parts;
            return error;
        }

        private string? Parse(string[] tokens, out int ivfToken)
        {
            ivfToken = -1;
            for (var i = 0; i < tokens.Length; i++)
            {
                if (tokens[i].Length == 0)
                {
                    return Bad("has an empty component (two commas in a row, or a comma at an end)");
                }
            }

            var first = 0;
            var end = tokens.Length;
            if (IdMapKind(tokens[0]) is { } prefix)
            {
                _parts.IdMap = prefix;
                first = 1;
            }
            else if (IdMapKind(tokens[^1]) is { } suffix)
            {
                _parts.IdMap = suffix;
                end--;
            }

            for (var i = first; i < end; i++)
            {
                if (IdMapKind(tokens[i]) is not null)
                {
                    return Bad($"has '{tokens[i]}' in the middle; an id map may appear once, first or last");
                }
            }

            if (first >= end)
            {
                return Bad("has an id map but no index; use for example 'IDMap2,Flat'");
            }

            var at = first;
            while (at < end - 1)
            {
                var (transform, error) = ParseTransform(tokens[at]);
                if (error is not null)
                {
                    return error;
                }

                if (transform is null)
                {
                    break;
                }

                _parts.Transforms.Add(transform);
                at++;
            }

            var core = tokens[at..end];
            if (core.Length == 1)
            {
                return ParseSingle(core[0]);
            }

            if (core.Length > 2)
            {
                return Bad($"has '{core[2]}' after '{core[0]},{core[1]}'; refinement ('RFlat', 'Refine(…)') and other trailing components are not supported");
            }

            var ivf = IvfPattern().Match(core[0]);
            if (ivf.Success)
            {
                ivfToken = at;
                return ParseIvf(ivf, core[1]);
            }

            var hnsw = HnswPattern().Match(core[0]);
            if (hnsw.Success && !hnsw.Groups["code"].Success)
            {
                return ParseHnsw(core[0], hnsw, core[1]);
            }

            if (ParseTransform(core[0]).Transform is not null)
            {
                return Bad($"has the pre-transform '{core[0]}' without an index after it");
            }

            var single = ParseSingle(core[0]);
            return single ?? Bad($"has '{core[1]}' after '{core[0]}'; nothing may follow a {_parts.Encoding} index except an id map");
        }

        private string? ParseSingle(string token)
        {
            _parts.Structure = IndexStructure.Flat;
            if (token == "Flat")
            {
                _parts.Encoding = IndexEncoding.Flat;
                return null;
            }

            if (TryEncoding(token, allowBits: true, allowFastScan: true, out var encodingError))
            {
                return encodingError;
            }

            var lsh = LshPattern().Match(token);
            if (lsh.Success)
            {
                _parts.Encoding = IndexEncoding.Lsh;
                _parts.LshRotate = lsh.Groups["r"].Length > 0;
                _parts.LshTrainThresholds = lsh.Groups["t"].Length > 0;
                return null;
            }

            var hnsw = HnswPattern().Match(token);
            if (hnsw.Success)
            {
                return ParseHnsw(token, hnsw, hnsw.Groups["code"].Success ? hnsw.Groups["code"].Value : "");
            }

            var ivf = IvfPattern().Match(token);
            if (ivf.Success)
            {
                return Bad($"has '{token}' without an encoding after it; use for example '{token},Flat' or '{token},PQ16np'");
            }

            if (ParseTransform(token).Transform is not null)
            {
                return Bad($"has the pre-transform '{token}' without an index after it; use for example '{token},Flat'");
            }

            return Unknown(token);
        }

        private string? ParseIvf(Match ivf, string code)
        {
            _parts.Structure = IndexStructure.InvertedFile;
            var token = ivf.Value;
            var nlist = Size(ivf.Groups["n"].Value, token, "inverted lists", 1, int.MaxValue, out var error);
            if (error is not null)
            {
                return error;
            }

            _parts.NList = nlist;
            if (ivf.Groups["m"].Success)
            {
                _parts.CoarseHnsw = HnswM(ivf.Groups["m"].Value, token, out error);
                if (error is not null)
                {
                    return error;
                }
            }

            if (code == "Flat")
            {
                _parts.Encoding = IndexEncoding.Flat;
                return null;
            }

            if (TryEncoding(code, allowBits: true, allowFastScan: true, out error))
            {
                return error;
            }

            return Bad($"has '{code}' after '{token}', which is not an IVF encoding this library supports (Flat, PQ{{M}}[x{{nbits}}][np], SQ4, SQ6, SQ8, SQfp16)");
        }

        private string? ParseHnsw(string token, Match hnsw, string code)
        {
            _parts.Structure = IndexStructure.Hnsw;
            _parts.Hnsw = HnswM(hnsw.Groups["m"].Value, token, out var error);
            if (error is not null)
            {
                return error;
            }

            if (code is "" or "Flat")
            {
                _parts.Encoding = IndexEncoding.Flat;
                return null;
            }

            if (TryEncoding(code, allowBits: false, allowFastScan: false, out var encodingError))
            {
                return encodingError;
            }

            return Bad($"has '{code}' as the storage of '{token}', which is not supported (Flat, PQ{{M}}[np], SQ4, SQ6, SQ8, SQfp16)");
        }

        /// <summary>Recognises PQ and SQ encodings; <see langword="false"/> when <paramref name="token"/> is neither.</summary>
        private bool TryEncoding(string token, bool allowBits, bool allowFastScan, out string? error)
        {
            error = null;
            switch (token)
            {
                case "SQ4":
                case "SQ6":
                case "SQ8":
                    _parts.Encoding = IndexEncoding.ScalarQuantizer;
                    _parts.SqBits = token[2] - '0';
                    return true;
                case "SQfp16":
                    _parts.Encoding = IndexEncoding.ScalarQuantizer;
                    _parts.SqBits = 16;
                    return true;
                case "SQ8_direct":
                    error = Bad("has 'SQ8_direct', which FAISS 1.7.3's index_factory does not understand");
                    return true;
            }

            var pq = PqPattern().Match(token);
            if (pq.Success)
            {
                _parts.Encoding = IndexEncoding.ProductQuantizer;
                _parts.PqM = Size(pq.Groups["m"].Value, token, "sub-quantizers", 1, int.MaxValue, out error);
                if (error is not null)
                {
                    return true;
                }

                _parts.PqBits = 8;
                if (pq.Groups["bits"].Success)
                {
                    if (!allowBits)
                    {
                        error = Bad($"has '{token}': FAISS 1.7.3 builds HNSW's product quantizer with 8-bit codes only (write 'PQ{_parts.PqM}')");
                        return true;
                    }

                    _parts.PqBits = Size(pq.Groups["bits"].Value, token, "bits per code", 1, 16, out error);
                }

                _parts.Polysemous = !pq.Groups["np"].Success;
                return true;
            }

            var fs = PqFastScanPattern().Match(token);
            if (fs.Success && allowFastScan)
            {
                _parts.Encoding = IndexEncoding.ProductQuantizer;
                _parts.FastScan = true;
                _parts.PqBits = 4;
                _parts.PqM = Size(fs.Groups["m"].Value, token, "sub-quantizers", 1, int.MaxValue, out error);
                if (error is null && fs.Groups["bbs"].Success)
                {
                    var bbs = Size(fs.Groups["bbs"].Value, token, "block size", 32, 1 << 16, out error);
                    if (error is null && bbs % 32 != 0)
                    {
                        error = Bad($"has '{token}': the fast-scan block size must be a multiple of 32");
                    }
                }

                return true;
            }

            return false;
        }

        private (IndexFactoryTransform? Transform, string? Error) ParseTransform(string token)
        {
            string? error;
            var pca = PcaPattern().Match(token);
            if (pca.Success)
            {
                var n = Size(pca.Groups["n"].Value, token, "output dimensions", 1, MaxTransformDimension, out error);
                return error is not null
                    ? (null, error)
                    : (new IndexFactoryTransform(IndexFactoryTransformKind.Pca, n, Whitening: pca.Groups["w"].Length > 0, Rotation: pca.Groups["r"].Length > 0), null);
            }

            var opq = OpqPattern().Match(token);
            if (opq.Success)
            {
                var m = Size(opq.Groups["m"].Value, token, "sub-quantizers", 1, MaxTransformDimension, out error);
                int? d = null;
                if (error is null && opq.Groups["d"].Success)
                {
                    d = Size(opq.Groups["d"].Value, token, "output dimensions", 1, MaxTransformDimension, out error);
                }

                return error is not null ? (null, error) : (new IndexFactoryTransform(IndexFactoryTransformKind.Opq, d, SubQuantizers: m), null);
            }

            var rr = RandomRotationPattern().Match(token);
            if (rr.Success)
            {
                int? n = null;
                error = null;
                if (rr.Groups["n"].Success)
                {
                    n = Size(rr.Groups["n"].Value, token, "output dimensions", 1, MaxTransformDimension, out error);
                }

                return error is not null ? (null, error) : (new IndexFactoryTransform(IndexFactoryTransformKind.RandomRotation, n), null);
            }

            if (token is "L2norm" or "L2Norm")
            {
                return (new IndexFactoryTransform(IndexFactoryTransformKind.L2Normalization, null), null);
            }

            if (token.StartsWith("ITQ", StringComparison.Ordinal) || token.StartsWith("Pad", StringComparison.Ordinal))
            {
                return (null, Bad($"has the pre-transform '{token}', which is not supported (PCA, OPQ, RR and L2norm are)"));
            }

            return (null, null);
        }

        private int HnswM(string digits, string token, out string? error) =>
            Size(digits.Length == 0 ? "32" : digits, token, "neighbours per vector", 2, MaxHnswNeighbors, out error);

        private int Size(string digits, string token, string what, int min, int max, out string? error)
        {
            error = null;
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
            {
                error = Bad($"has '{token}', which asks for {digits} {what}; at most {max.ToString("N0", CultureInfo.InvariantCulture)} are accepted");
                return 0;
            }

            if (value < min)
            {
                error = Bad($"has '{token}', which asks for {value} {what}; at least {min} {(min == 1 ? "is" : "are")} needed");
                return 0;
            }

            return value;
        }

        private static IndexIdMapKind? IdMapKind(string token) => token switch
        {
            "IDMap" => IndexIdMapKind.IdMap,
            "IDMap2" => IndexIdMapKind.IdMap2,
            _ => null,
        };

        private string Unknown(string token) =>
            Bad($"has '{token}', which is not an index this library supports (Flat, IVF{{n}},…, PQ{{M}}, SQ8, HNSW{{m}}, with optional IDMap/IDMap2 and PCA/OPQ/RR/L2norm pre-transforms)");

        private string Bad(string problem) => $"The index factory string '{_text}' {problem}.";
    }
}
