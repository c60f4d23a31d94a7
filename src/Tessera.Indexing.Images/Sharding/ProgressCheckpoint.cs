namespace Tessera.Indexing.Images.Sharding;

/// <summary>Where a build stands, in <c>progress.json</c>.</summary>
public sealed record ProgressCheckpoint
{
    /// <summary>The last item id handled (indexed or failed), in the source's order.</summary>
    public string? LastId { get; init; }

    /// <summary>Items handled: indexed in every type, or failed.</summary>
    public long Processed { get; init; }

    /// <summary>Items indexed in every type.</summary>
    public long Indexed { get; init; }

    /// <summary>Items that failed.</summary>
    public long Failed { get; init; }
}
