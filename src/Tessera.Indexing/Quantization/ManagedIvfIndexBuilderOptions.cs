namespace Tessera.Indexing.Quantization;

/// <summary>Settings of <see cref="ManagedIvfIndexBuilder"/>.</summary>
public sealed class ManagedIvfIndexBuilderOptions
{
    /// <summary>Threads for k-means, PQ training (sub-spaces in parallel) and encoding; -1 (the default) uses every core.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>Vectors encoded and appended per step of <c>Add</c> (bounds the scratch memory: about 1 KiB per 128-d vector).</summary>
    public int AddBatchSize { get; set; } = 16_384;

    /// <summary>The first invalid setting, or <see langword="null"/> when all are valid.</summary>
    /// <returns>A message naming the setting, or <see langword="null"/>.</returns>
    public string? Validate()
    {
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            return $"{nameof(MaxDegreeOfParallelism)} must be -1 (every core) or positive; got {MaxDegreeOfParallelism}.";
        }

        if (AddBatchSize < 1)
        {
            return $"{nameof(AddBatchSize)} must be positive; got {AddBatchSize}.";
        }

        return null;
    }

    internal int ResolveDegreeOfParallelism() => MaxDegreeOfParallelism < 0 ? Environment.ProcessorCount : MaxDegreeOfParallelism;
}
