namespace Tessera.Indexing.Indexes;

public partial class IndexFactorySpec
{
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
}
