namespace Tessera.Indexing.Mosaics;

/// <summary>Why a mosaic index build failed.</summary>
public enum MosaicIndexErrorKind
{
    /// <summary>An option is out of range (for example a sampling factor below 1).</summary>
    InvalidOptions = 0,

    /// <summary>The viewport id is empty, contains a path separator or <c>..</c>, or is otherwise unusable as a folder name.</summary>
    InvalidViewportId = 1,

    /// <summary>The mosaic file does not exist.</summary>
    SourceNotFound = 2,

    /// <summary>The file exists but is not a raster that can be read.</summary>
    NotARaster = 3,

    /// <summary>The bands are not Byte, Int8 or Float32.</summary>
    UnsupportedDataType = 4,

    /// <summary>The band count differs from the declared embedding dimension.</summary>
    DimensionMismatch = 5,

    /// <summary>The raster has no geotransform, so pixels cannot be mapped to coordinates.</summary>
    MissingGeoTransform = 6,

    /// <summary>The index factory string is not understood by the index builder.</summary>
    InvalidIndexFactory = 7,

    /// <summary>Too few valid (non-nodata) pixels were sampled to train the requested index.</summary>
    TooFewSamples = 8,

    /// <summary>The disk filled up while writing the viewport.</summary>
    DiskFull = 9,

    /// <summary>Another input/output failure while writing the viewport.</summary>
    Io = 10,

    /// <summary>Another build of the same viewport is running.</summary>
    Busy = 11,

    /// <summary>The index builder failed while training, adding or saving.</summary>
    IndexBuildFailed = 12,

    /// <summary>Reading the mosaic's pixels failed part-way (a truncated or corrupt file, a read error of the raster library).</summary>
    SourceReadFailed = 13,
}
