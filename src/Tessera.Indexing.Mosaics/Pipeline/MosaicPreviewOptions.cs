namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>Settings of the <c>preview</c> post-processor (<see cref="MosaicPreviewPostProcessor"/>).</summary>
public sealed class MosaicPreviewOptions
{
    /// <summary>The folder the previews are written to, one <c>{viewport_id}.png</c> each. Required.</summary>
    public string PreviewsRoot { get; set; } = string.Empty;

    /// <summary>The longest side of a preview in pixels, 16..8192 (default 1024); larger mosaics are sampled every factor-th pixel.</summary>
    public int MaxSize { get; set; } = 1024;

    /// <summary>Where the preview of <paramref name="viewportId"/> is written.</summary>
    /// <param name="viewportId">A valid viewport id.</param>
    /// <returns><c>{PreviewsRoot}/{viewportId}.png</c>, as a full path.</returns>
    public string GetPreviewPath(string viewportId) => Path.Combine(Path.GetFullPath(PreviewsRoot), viewportId + ".png");
}
