namespace Tessera.Indexing.Items;

/// <summary>One item to embed: a product image with its id and brand.</summary>
/// <param name="Id">The item's id, unique within a source.</param>
/// <param name="ImageLocation">A local path or an <c>http(s)</c> URL.</param>
/// <param name="Brand">The brand, for per-brand counts; <see langword="null"/> when unknown.</param>
/// <param name="Attributes">Any further columns of the source.</param>
public sealed record ImageItem(string Id, string ImageLocation, string? Brand = null, IReadOnlyDictionary<string, string>? Attributes = null);
