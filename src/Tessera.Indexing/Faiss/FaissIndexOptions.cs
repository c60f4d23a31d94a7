namespace Tessera.Indexing.Faiss;

/// <summary>
/// Limits <see cref="FaissIndex"/> applies before FAISS allocates anything: when creating an index
/// from a factory string, and when loading one from a file or buffer.
/// </summary>
/// <remarks>
/// The memory an index needs is estimated from the factory string (centroids, codebooks, inverted
/// list headers, PQ tables; see <see cref="Indexes.IndexFactorySpec.EstimateMemoryBytes"/>) or from
/// the header and length fields of the file (everything FAISS's reader will allocate, including
/// tables it derives). An estimate above <see cref="MaxMemoryBytes"/> is refused with
/// <see cref="FaissErrorKind.MemoryBudgetExceeded"/>, so a small hostile file claiming 10^9
/// centroids fails in microseconds instead of allocating gigabytes.
/// </remarks>
public sealed class FaissIndexOptions
{
    /// <summary>The budget used when the memory available to the process cannot be determined: 16 GiB.</summary>
    public const long FallbackMaxMemoryBytes = 16L << 30;

    /// <summary>
    /// The default <see cref="MaxMemoryBytes"/>: three quarters of the memory available to the process
    /// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours container limits), or
    /// <see cref="FallbackMaxMemoryBytes"/> when that is unknown.
    /// </summary>
    public static long DefaultMaxMemoryBytes { get; } = ComputeDefaultMaxMemoryBytes();

    /// <summary>The largest estimated memory, in bytes, one index may need; at least 1 MiB.</summary>
    public long MaxMemoryBytes { get; set; } = DefaultMaxMemoryBytes;

    /// <summary>Shared default settings (not exposed: callers pass their own instance to change them).</summary>
    internal static FaissIndexOptions Default { get; } = new();

    /// <summary>The first invalid setting, or <see langword="null"/> when all are valid.</summary>
    /// <returns>A message naming the setting, or <see langword="null"/>.</returns>
    public string? Validate() =>
        MaxMemoryBytes < (1L << 20)
            ? $"{nameof(MaxMemoryBytes)} must be at least 1 MiB ({1L << 20} bytes); got {MaxMemoryBytes}."
            : null;

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is invalid.</summary>
    internal void ThrowIfInvalid()
    {
        var problem = Validate();
        if (problem is not null)
        {
            throw new ArgumentException(problem, "options");
        }
    }

    private static long ComputeDefaultMaxMemoryBytes()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available / 4 * 3 : FallbackMaxMemoryBytes;
    }
}
