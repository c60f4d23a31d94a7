namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>What the download stage produced.</summary>
/// <param name="MosaicPath">The mosaic on local disk.</param>
/// <param name="Cached">Whether nothing had to be downloaded.</param>
public sealed record ViewportDownloadResult(string MosaicPath, bool Cached);
