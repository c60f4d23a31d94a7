namespace Tessera.Indexing.Images.Sharding;

/// <summary>An item that could not be indexed, and why.</summary>
/// <param name="Id">The item's id.</param>
/// <param name="Image">Its image location.</param>
/// <param name="Reason">Why it failed (for example the decoder's message).</param>
/// <param name="At">When it failed.</param>
public sealed record FailedItem(string Id, string Image, string Reason, DateTimeOffset At);
