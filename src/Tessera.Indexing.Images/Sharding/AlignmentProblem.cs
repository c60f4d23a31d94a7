namespace Tessera.Indexing.Images.Sharding;

/// <summary>One problem <see cref="AlignmentChecker"/> found.</summary>
/// <param name="Kind">What kind of problem.</param>
/// <param name="Type">The index type, or <see langword="null"/> for the store as a whole.</param>
/// <param name="Object">The object concerned (shard, segment, manifest), if any.</param>
/// <param name="Message">What is wrong.</param>
public sealed record AlignmentProblem(AlignmentProblemKind Kind, string? Type, string? Object, string Message);
