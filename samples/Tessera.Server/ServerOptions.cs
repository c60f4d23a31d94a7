namespace Tessera.Server;

/// <summary>Where the server keeps viewports and where clients may point it at mosaics (configuration section <c>Tessera</c>).</summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Tessera";

    /// <summary>Root of every viewport's index folder; nothing is read or written outside it for a viewport id.</summary>
    public string IndicesRoot { get; set; } = "faiss_indices";

    /// <summary>The only folder mosaic paths sent to <c>POST /api/viewports/{id}/process</c> may point into.</summary>
    public string MosaicsRoot { get; set; } = "mosaics";

    /// <summary>Where the <c>preview</c> post-processor writes each viewport's mosaic preview PNG (<c>MosaicPreviewOptions.PreviewsRoot</c>).</summary>
    public string PreviewsRoot { get; set; } = "previews";

    /// <summary>Largest heat-map or preview side a client may ask for.</summary>
    public int MaxImageSize { get; set; } = 2048;

    /// <summary>
    /// Most results one <c>POST /api/faiss/search</c> may ask for, summed over its queries (each query counts its
    /// <c>k</c> for top-k, its <c>limit</c> for threshold and percent searches). A request over it is refused with
    /// 400 before any search runs (default 100,000).
    /// </summary>
    public int MaxResultsPerRequest { get; set; } = 100_000;

    /// <summary>
    /// Largest response one search may produce, estimated before it runs from the results asked for and the
    /// format's bytes per result (<see cref="Api.RequestBudget"/>); over it the request is refused with 400 (default 64 MiB).
    /// </summary>
    public long MaxResponseBytes { get; set; } = 64L << 20;
}
