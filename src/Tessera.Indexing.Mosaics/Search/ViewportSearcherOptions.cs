using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>Tuning of a <see cref="ViewportSearcher"/>.</summary>
public sealed class ViewportSearcherOptions
{
    /// <summary>Cores one exact scan may use (default: all).</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>A FAISS top-k search fetches k × this many candidates and keeps the k best by exact score (default 4).</summary>
    public int TopKCandidateFactor { get; set; } = 4;

    /// <summary>How far the range-search radius is widened, in score units, to make up for a compressed index (default 0.05).</summary>
    public float RangeSearchSlack { get; set; } = 0.05f;

    /// <summary>Opens <c>embeddings.index</c> memory-mapped instead of reading it into memory.</summary>
    public bool MemoryMapIndex { get; set; }

    /// <summary>
    /// Turns the viewport's world coordinates into WGS84 latitude/longitude and back (GDAL's
    /// <c>GdalCoordinateTransformFactory</c>, registered by <c>AddGdal()</c>). Without one, only a
    /// WGS84 geographic viewport has latitude/longitude: on any other CRS, latitude/longitude queries
    /// fail with <see cref="ViewportSearchErrorKind.CoordinatesUnavailable"/> and results carry NaN
    /// latitude/longitude beside their world X/Y.
    /// </summary>
    public ICoordinateTransformFactory? CoordinateTransforms { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
        ArgumentOutOfRangeException.ThrowIfLessThan(TopKCandidateFactor, 1, nameof(TopKCandidateFactor));
        if (!(RangeSearchSlack >= 0) || !float.IsFinite(RangeSearchSlack))
        {
            throw new ArgumentOutOfRangeException(nameof(RangeSearchSlack), RangeSearchSlack, "The slack must be a finite number ≥ 0.");
        }
    }
}
