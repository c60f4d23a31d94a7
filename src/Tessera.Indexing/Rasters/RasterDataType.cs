namespace Tessera.Indexing.Rasters;

/// <summary>The data type of a raster's band values.</summary>
public enum RasterDataType
{
    /// <summary>A type this library does not read.</summary>
    Unknown = 0,

    /// <summary>Unsigned 8-bit integer (GeoTessera mosaics quantised to 0-255).</summary>
    Byte,

    /// <summary>Signed 8-bit integer (GeoTessera's native quantised tiles).</summary>
    Int8,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16,

    /// <summary>Signed 16-bit integer.</summary>
    Int16,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32,

    /// <summary>Signed 32-bit integer.</summary>
    Int32,

    /// <summary>32-bit float (dequantised GeoTessera mosaics).</summary>
    Float32,

    /// <summary>64-bit float.</summary>
    Float64,
}
