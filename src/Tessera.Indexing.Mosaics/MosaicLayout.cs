namespace Tessera.Indexing.Mosaics;

/// <summary>Where a viewport's files live: <c>{root}/{viewport_id}/</c> holding the three files named here.</summary>
public static class MosaicLayout
{
    private static readonly char[] PortablyInvalid = ['*', '?', '"', '<', '>', '|', ':'];

    /// <summary>The FAISS index of the sampled pixels (labels are linear pixel indexes, <c>row * width + col</c>).</summary>
    public const string IndexFileName = "embeddings.index";

    /// <summary>Every pixel's embedding as a NumPy array of shape (H×W, bands), row-major by pixel.</summary>
    public const string AllEmbeddingsFileName = "all_embeddings.npy";

    /// <summary>
    /// Every pixel's norm in stored units as a float32 NumPy array of shape (H×W): <c>√Σ stored²</c> over the
    /// pixel's row of <see cref="AllEmbeddingsFileName"/>, 0 for no-data pixels. The exact scan reads it
    /// instead of recomputing norms; viewports built before it existed work without it.
    /// </summary>
    public const string NormsFileName = "all_norms.npy";

    /// <summary>The viewport's <see cref="MosaicMetadata"/> as JSON.</summary>
    public const string MetadataFileName = "metadata.json";

    /// <summary>The folder of viewport <paramref name="viewportId"/> under <paramref name="outputRoot"/>.</summary>
    /// <param name="outputRoot">The folder holding all viewports.</param>
    /// <param name="viewportId">A valid viewport id.</param>
    /// <returns>The full path of the viewport's folder.</returns>
    public static string GetViewportDirectory(string outputRoot, string viewportId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        ValidateViewportId(viewportId);
        return Path.GetFullPath(Path.Combine(outputRoot, viewportId));
    }

    /// <summary>Whether <paramref name="viewportId"/> can name a viewport folder.</summary>
    /// <param name="viewportId">The id.</param>
    /// <param name="reason">Why not, when it cannot.</param>
    /// <returns><see langword="true"/> when it is valid.</returns>
    public static bool IsValidViewportId(string? viewportId, out string? reason)
    {
        reason = null;
        if (string.IsNullOrWhiteSpace(viewportId))
        {
            reason = "the viewport id must not be empty";
        }
        else if (viewportId.Contains('/') || viewportId.Contains('\\'))
        {
            reason = $"the viewport id '{viewportId}' must not contain a path separator";
        }
        else if (viewportId.Contains("..", StringComparison.Ordinal))
        {
            reason = $"the viewport id '{viewportId}' must not contain '..'";
        }
        else if (viewportId.StartsWith('.'))
        {
            reason = $"the viewport id '{viewportId}' must not start with '.' (such names are reserved for build folders)";
        }
        else if (viewportId.Length > 200)
        {
            reason = "the viewport id must be at most 200 characters";
        }
        else if (viewportId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || viewportId.IndexOfAny(PortablyInvalid) >= 0 || viewportId.Any(char.IsControl))
        {
            reason = $"the viewport id '{viewportId}' contains a character that cannot appear in a folder name";
        }
        else if (viewportId != viewportId.Trim())
        {
            reason = $"the viewport id '{viewportId}' must not start or end with whitespace";
        }

        return reason is null;
    }

    /// <summary>Throws <see cref="MosaicIndexException"/> (<see cref="MosaicIndexErrorKind.InvalidViewportId"/>) unless <paramref name="viewportId"/> is valid.</summary>
    /// <param name="viewportId">The id.</param>
    public static void ValidateViewportId(string? viewportId)
    {
        if (!IsValidViewportId(viewportId, out var reason))
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.InvalidViewportId, $"Invalid viewport id: {reason}.");
        }
    }
}
