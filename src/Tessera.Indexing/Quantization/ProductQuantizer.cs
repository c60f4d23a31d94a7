using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Clustering;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Quantization;

/// <summary>
/// A product quantizer in FAISS's layout: the vector is cut into <see cref="SubQuantizers"/> (M)
/// sub-vectors of <see cref="SubDimension"/> values, each replaced by the number of its nearest of
/// <see cref="CentroidsPerSubQuantizer"/> centroids, packed <see cref="BitsPerCode"/> bits each
/// (LSB first, as FAISS's <c>PQEncoderGeneric</c>). Codebooks are laid out (M, 2^bits, dsub), the
/// layout of FAISS's <c>ProductQuantizer::centroids</c>.
/// </summary>
/// <remarks>
/// Training runs FAISS's k-means (<see cref="KMeans"/>, 25 iterations, seed 1234) on every sub-space,
/// the sub-spaces in parallel. Encoding computes, for sub-spaces narrower than 16 values, the
/// squared distances exactly as FAISS's generic build does (a sum of rounded squares, no FMA), so
/// codes equal FAISS's own; wider sub-spaces use the <c>|x|^2 - 2 x.c + |c|^2</c> form as FAISS's
/// BLAS path does. Instances are immutable and thread-safe.
/// </remarks>
[SkipLocalsInit]
public sealed unsafe class ProductQuantizer
{
    private const int SmallDimension = 16;
    private readonly float[] _codebooks;
    private readonly float[] _transposed;
    private readonly int _ksubPadded;
    private readonly NearestCentroidSearch[]? _wideSearch;

    /// <summary>Wraps trained codebooks.</summary>
    /// <param name="dimension">Vector dimension; a multiple of <paramref name="subQuantizers"/>.</param>
    /// <param name="subQuantizers">M, the number of sub-vectors.</param>
    /// <param name="bitsPerCode">Bits per sub-vector code (1 to 16).</param>
    /// <param name="codebooks">(M, 2^bits, dimension / M) floats.</param>
    public ProductQuantizer(int dimension, int subQuantizers, int bitsPerCode, ReadOnlySpan<float> codebooks)
    {
        Validate(dimension, subQuantizers, bitsPerCode);
        Dimension = dimension;
        SubQuantizers = subQuantizers;
        BitsPerCode = bitsPerCode;
        var expected = (long)CentroidsPerSubQuantizer * dimension;
        if (codebooks.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} codebook values (M={subQuantizers} x {CentroidsPerSubQuantizer} x {SubDimension}), got {codebooks.Length}.", nameof(codebooks));
        }

        _codebooks = codebooks.ToArray();
        var ksub = CentroidsPerSubQuantizer;
        var dsub = SubDimension;
        _ksubPadded = (ksub + 15) / 16 * 16;
        if (dsub < SmallDimension)
        {
            // Per sub-space, [dsub][ksub padded]: one centroid per lane. Padding is +inf, never nearest.
            _transposed = GC.AllocateUninitializedArray<float>(subQuantizers * dsub * _ksubPadded, pinned: true);
            for (var m = 0; m < subQuantizers; m++)
            {
                for (var t = 0; t < dsub; t++)
                {
                    for (var j = 0; j < _ksubPadded; j++)
                    {
                        _transposed[(((m * dsub) + t) * _ksubPadded) + j] = j < ksub
                            ? _codebooks[(((m * ksub) + j) * dsub) + t]
                            : float.PositiveInfinity;
                    }
                }
            }
        }
        else
        {
            _transposed = [];
            _wideSearch = new NearestCentroidSearch[subQuantizers];
            for (var m = 0; m < subQuantizers; m++)
            {
                _wideSearch[m] = new NearestCentroidSearch(Codebook(m), dsub, VectorMetric.L2, Simd.Best);
            }
        }
    }

    /// <summary>Vector dimension.</summary>
    public int Dimension { get; }

    /// <summary>M, the number of sub-vectors.</summary>
    public int SubQuantizers { get; }

    /// <summary>Bits per sub-vector code.</summary>
    public int BitsPerCode { get; }

    /// <summary>Values per sub-vector (dsub).</summary>
    public int SubDimension => Dimension / SubQuantizers;

    /// <summary>Centroids per sub-quantizer (ksub = 2^bits).</summary>
    public int CentroidsPerSubQuantizer => 1 << BitsPerCode;

    /// <summary>Bytes per encoded vector: <c>ceil(M * bits / 8)</c>.</summary>
    public int CodeSize => ((SubQuantizers * BitsPerCode) + 7) / 8;

    /// <summary>The codebooks, (M, 2^bits, dsub).</summary>
    public ReadOnlySpan<float> Codebooks => _codebooks;

    /// <summary>The centroids of sub-quantizer <paramref name="m"/>, (2^bits, dsub).</summary>
    /// <param name="m">The sub-quantizer.</param>
    /// <returns>Its codebook.</returns>
    public ReadOnlySpan<float> Codebook(int m)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(m, SubQuantizers);
        var size = CentroidsPerSubQuantizer * SubDimension;
        return _codebooks.AsSpan(m * size, size);
    }

    /// <summary>
    /// Trains the codebooks as FAISS's <c>ProductQuantizer::train</c> does: one k-means per
    /// sub-space, here several sub-spaces at once.
    /// </summary>
    /// <param name="vectors">Training vectors, row-major.</param>
    /// <param name="dimension">Vector dimension.</param>
    /// <param name="subQuantizers">M.</param>
    /// <param name="bitsPerCode">Bits per code (8 in FAISS's <c>PQ64</c>; 1 to 16 here).</param>
    /// <param name="options">k-means settings (defaults: FAISS's, 25 iterations); <see cref="KMeansOptions.MaxDegreeOfParallelism"/> is the number of sub-spaces trained at once.</param>
    /// <param name="progress">Receives the number of sub-spaces finished so far.</param>
    /// <param name="logger">Receives k-means warnings (too few points).</param>
    /// <param name="cancellationToken">Checked between k-means iterations.</param>
    /// <returns>The trained quantizer.</returns>
    public static ProductQuantizer Train(
        ReadOnlySpan<float> vectors,
        int dimension,
        int subQuantizers,
        int bitsPerCode,
        KMeansOptions? options = null,
        IProgress<int>? progress = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        Validate(dimension, subQuantizers, bitsPerCode);
        options ??= new KMeansOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        if (vectors.Length % dimension != 0)
        {
            throw new ArgumentException($"{vectors.Length} values is not a whole number of {dimension}-d vectors.", nameof(vectors));
        }

        var n = vectors.Length / dimension;
        var ksub = 1 << bitsPerCode;
        var dsub = dimension / subQuantizers;
        var codebooks = new float[(long)ksub * dimension];
        var perSubspace = options.Clone();
        perSubspace.MaxDegreeOfParallelism = 1;
        var dop = options.ResolveDegreeOfParallelism();
        var done = 0;
        var warned = 0;
        fixed (float* px = vectors)
        {
            var xp = (nint)px;
            Parallel.For(
                0,
                subQuantizers,
                new ParallelOptions { MaxDegreeOfParallelism = dop, CancellationToken = cancellationToken },
                m =>
                {
                    var slice = ArrayPool<float>.Shared.Rent(n * dsub);
                    try
                    {
                        var x = (float*)xp;
                        for (var i = 0; i < n; i++)
                        {
                            new ReadOnlySpan<float>(x + ((long)i * dimension) + (m * dsub), dsub).CopyTo(slice.AsSpan(i * dsub, dsub));
                        }

                        // FAISS warns once per sub-space; one warning says it all.
                        var subLogger = Interlocked.Exchange(ref warned, 1) == 0 ? logger : NullLogger.Instance;
                        var result = KMeans.Train(slice.AsSpan(0, n * dsub), dsub, ksub, perSubspace, null, subLogger, Simd.Best, cancellationToken);
                        result.Centroids.CopyTo(codebooks.AsSpan(m * ksub * dsub, ksub * dsub));
                    }
                    finally
                    {
                        ArrayPool<float>.Shared.Return(slice);
                    }

                    progress?.Report(Interlocked.Increment(ref done));
                });
        }

        return new ProductQuantizer(dimension, subQuantizers, bitsPerCode, codebooks);
    }

    /// <summary>Encodes <paramref name="vectors"/> into <see cref="CodeSize"/> bytes each.</summary>
    /// <param name="vectors">Vectors, row-major.</param>
    /// <param name="codes">Output, <c>n * CodeSize</c> bytes.</param>
    /// <param name="maxDegreeOfParallelism">Threads; -1 uses every core.</param>
    public void Encode(ReadOnlySpan<float> vectors, Span<byte> codes, int maxDegreeOfParallelism = -1)
    {
        var n = CheckCodes(vectors.Length, codes.Length);
        if (n == 0)
        {
            return;
        }

        var dop = maxDegreeOfParallelism < 1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        fixed (float* px = vectors)
        fixed (byte* pc = codes)
        {
            if (dop == 1 || n < 256)
            {
                EncodeRange(px, pc, n);
                return;
            }

            const int chunk = 256;
            var chunks = (n + chunk - 1) / chunk;
            nint xp = (nint)px, cp = (nint)pc;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = dop }, c =>
            {
                var start = c * chunk;
                var count = Math.Min(chunk, n - start);
                EncodeRange((float*)xp + ((long)start * Dimension), (byte*)cp + ((long)start * CodeSize), count);
            });
        }
    }

    /// <summary>Reconstructs vectors from their codes (each sub-vector becomes its centroid).</summary>
    /// <param name="codes">Codes, <see cref="CodeSize"/> bytes each.</param>
    /// <param name="vectors">Output, <c>n * Dimension</c> floats.</param>
    public void Decode(ReadOnlySpan<byte> codes, Span<float> vectors)
    {
        var n = CheckCodes(vectors.Length, codes.Length);
        var dsub = SubDimension;
        for (var i = 0; i < n; i++)
        {
            var code = codes.Slice(i * CodeSize, CodeSize);
            for (var m = 0; m < SubQuantizers; m++)
            {
                var j = ReadCode(code, m, BitsPerCode);
                _codebooks.AsSpan(((m * CentroidsPerSubQuantizer) + j) * dsub, dsub).CopyTo(vectors.Slice((i * Dimension) + (m * dsub), dsub));
            }
        }
    }

    /// <summary>Sub-quantizer <paramref name="m"/>'s code in <paramref name="code"/> (LSB-first bit packing).</summary>
    internal static int ReadCode(ReadOnlySpan<byte> code, int m, int bits)
    {
        var bit = m * bits;
        var value = 0;
        for (var b = 0; b < bits; b++, bit++)
        {
            value |= ((code[bit >> 3] >> (bit & 7)) & 1) << b;
        }

        return value;
    }

    private void EncodeRange(float* x, byte* codes, int n)
    {
        var dsub = SubDimension;
        if (dsub >= SmallDimension)
        {
            EncodeWide(x, codes, n);
            return;
        }

        // Blocks of 64 vectors: per sub-space, transpose the 64 sub-vectors and find all their codes at once.
        const int B = SmallDimensionKernels.Block;
        var soa = stackalloc float[dsub * B];
        var labels = stackalloc int[SubQuantizers * B];
        var row = stackalloc int[SubQuantizers];
        var level = Simd.Best;
        fixed (float* transposed = _transposed)
        {
            for (var b0 = 0; b0 < n; b0 += B)
            {
                var count = Math.Min(B, n - b0);
                var xb = x + ((long)b0 * Dimension);
                for (var m = 0; m < SubQuantizers; m++)
                {
                    SmallDimensionKernels.Transpose(xb + (m * dsub), count, dsub, Dimension, soa);
                    SmallDimensionKernels.ArgMinSquaredL2Exact(
                        soa, dsub, transposed + ((long)m * dsub * _ksubPadded), CentroidsPerSubQuantizer, _ksubPadded, labels + (m * B), level);
                }

                for (var i = 0; i < count; i++)
                {
                    for (var m = 0; m < SubQuantizers; m++)
                    {
                        row[m] = labels[(m * B) + i];
                    }

                    Pack(row, codes + ((long)(b0 + i) * CodeSize));
                }
            }
        }
    }

    /// <summary>Wide sub-spaces: one blocked nearest-centroid search per sub-space over a block of vectors.</summary>
    private void EncodeWide(float* x, byte* codes, int n)
    {
        var dsub = SubDimension;
        var slice = ArrayPool<float>.Shared.Rent(n * dsub);
        var assign = ArrayPool<int>.Shared.Rent(n * SubQuantizers);
        try
        {
            for (var m = 0; m < SubQuantizers; m++)
            {
                for (var i = 0; i < n; i++)
                {
                    new ReadOnlySpan<float>(x + ((long)i * Dimension) + (m * dsub), dsub).CopyTo(slice.AsSpan(i * dsub, dsub));
                }

                var labels = assign.AsSpan(m * n, n);
                _wideSearch![m].Search(slice.AsSpan(0, n * dsub), labels, []);
            }

            var row = stackalloc int[SubQuantizers];
            for (var i = 0; i < n; i++)
            {
                for (var m = 0; m < SubQuantizers; m++)
                {
                    row[m] = assign[(m * n) + i];
                }

                Pack(row, codes + ((long)i * CodeSize));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(slice);
            ArrayPool<int>.Shared.Return(assign);
        }
    }

    private void Pack(int* labels, byte* code)
    {
        var bits = BitsPerCode;
        if (bits == 8)
        {
            for (var m = 0; m < SubQuantizers; m++)
            {
                code[m] = (byte)labels[m];
            }

            return;
        }

        new Span<byte>(code, CodeSize).Clear();
        var bit = 0;
        for (var m = 0; m < SubQuantizers; m++)
        {
            var value = labels[m];
            for (var b = 0; b < bits; b++, bit++)
            {
                code[bit >> 3] |= (byte)(((value >> b) & 1) << (bit & 7));
            }
        }
    }

    private int CheckCodes(int floats, int bytes)
    {
        if (floats % Dimension != 0)
        {
            throw new ArgumentException($"{floats} values is not a whole number of {Dimension}-d vectors.", "vectors");
        }

        var n = floats / Dimension;
        if (bytes != (long)n * CodeSize)
        {
            throw new ArgumentException($"{n} vectors need {(long)n * CodeSize} code bytes ({CodeSize} each), got {bytes}.", "codes");
        }

        return n;
    }

    private static void Validate(int dimension, int subQuantizers, int bitsPerCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(subQuantizers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bitsPerCode, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitsPerCode, 16);
        if (dimension % subQuantizers != 0)
        {
            throw new ArgumentException($"The dimension ({dimension}) must be a multiple of the number of sub-quantizers ({subQuantizers}).", nameof(subQuantizers));
        }
    }
}
