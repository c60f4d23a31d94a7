namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>The latest status of every viewport job (the default keeps them in memory).</summary>
public interface IViewportStatusStore
{
    /// <summary>Records <paramref name="status"/> as the latest of its viewport.</summary>
    /// <param name="status">The snapshot.</param>
    void Set(ViewportStatus status);

    /// <summary>The latest status of a viewport, if any job was seen for it.</summary>
    /// <param name="viewportId">The viewport.</param>
    /// <param name="status">The status.</param>
    /// <returns>Whether one exists.</returns>
    bool TryGet(string viewportId, out ViewportStatus status);
}
