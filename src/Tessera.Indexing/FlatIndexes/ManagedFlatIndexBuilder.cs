using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.FlatIndexes;

/// <summary>
/// The <see cref="IVectorIndexBuilder"/> of <see cref="ManagedFlatIndex"/>: exact search in managed
/// code, no native library, files in FAISS's own <c>IndexFlat</c> format (so FAISS, Python and
/// <see cref="Faiss.FaissIndexBuilder"/> read what it writes, and it reads their flat indexes).
/// Registered under <see cref="ServiceKey"/>.
/// </summary>
/// <remarks>It creates only the factory string <c>Flat</c>, with either metric; anything else is
/// refused with <see cref="NotSupportedException"/>. It uses nothing but the <see cref="IVectorIndex"/>
/// members of the indexes it is given.</remarks>
public sealed class ManagedFlatIndexBuilder : IVectorIndexBuilder
{
    /// <summary>The service key of this builder (<c>GetRequiredKeyedService&lt;IVectorIndexBuilder&gt;("managed-flat")</c>).</summary>
    public const string ServiceKey = "managed-flat";

    /// <summary>The one factory string this builder creates.</summary>
    public const string FactoryString = "Flat";

    /// <summary>Whether <paramref name="factoryString"/> describes an index this builder creates (<c>Flat</c>).</summary>
    /// <param name="factoryString">A FAISS factory string.</param>
    /// <returns><see langword="true"/> for <c>Flat</c>.</returns>
    public static bool Supports(string? factoryString) => string.Equals(factoryString?.Trim(), FactoryString, StringComparison.Ordinal);

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The factory string is not <c>Flat</c>.</exception>
    public IVectorIndex Create(VectorIndexSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (!Supports(spec.FactoryString))
        {
            throw new NotSupportedException(
                $"The managed flat index builder ('{ServiceKey}') creates only '{FactoryString}' indexes, not '{spec.FactoryString}'. Use the FAISS builder ('faiss') for other factory strings.");
        }

        return new ManagedFlatIndex(spec.Dimension, spec.Metric);
    }

    /// <inheritdoc />
    public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        cancellationToken.ThrowIfCancellationRequested();
        index.Train(vectors);
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The ids are not the positions the vectors get (<c>Count</c>, <c>Count + 1</c>, …).</exception>
    public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        cancellationToken.ThrowIfCancellationRequested();

        // A copy into managed memory: nothing to encode, so nothing worth stopping part-way.
        index.Add(vectors, ids);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The file is not a FAISS flat index.</exception>
    public IVectorIndex Load(string path) => ManagedFlatIndex.Load(path);

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The bytes are not a FAISS flat index.</exception>
    public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => ManagedFlatIndex.Deserialize(data);
}
