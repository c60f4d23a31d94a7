namespace Tessera.Indexing.Images.Sharding;

/// <summary>What <see cref="AlignmentChecker"/> checked and found.</summary>
public sealed record AlignmentReport
{
    /// <summary>The store checked.</summary>
    public required string Store { get; init; }

    /// <summary>The model name.</summary>
    public required string Model { get; init; }

    /// <summary>The types checked.</summary>
    public required IReadOnlyList<string> Types { get; init; }

    /// <summary>Shards read and checked.</summary>
    public int Shards { get; init; }

    /// <summary>Vectors in the checked shards.</summary>
    public long Vectors { get; init; }

    /// <summary>Sample items re-embedded and searched.</summary>
    public int SamplesChecked { get; init; }

    /// <summary>The problems; empty when the store is aligned.</summary>
    public required IReadOnlyList<AlignmentProblem> Problems { get; init; }

    /// <summary>Things worth knowing that are not misalignment (samples skipped, leftovers a resume will reconcile).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Whether no problem was found.</summary>
    public bool IsAligned => Problems.Count == 0;
}
