namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>The TIFF <c>Predictor</c> tag (317) values the direct reader undoes.</summary>
internal enum TiffPredictor
{
    /// <summary>1: none.</summary>
    None = 1,

    /// <summary>2: horizontal differencing of samples (integers of the sample's width, also for floats).</summary>
    Horizontal = 2,

    /// <summary>3: floating point: bytes split into planes (most significant first), then differenced.</summary>
    FloatingPoint = 3,
}
