using System.Globalization;
using System.Runtime.InteropServices;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

internal static unsafe partial class GdalProxy
{
    /// <summary>The geotransform, or null when the dataset has none (GDAL then reports the identity with <c>CE_Failure</c>).</summary>
    public static GeoTransform? GetGeoTransform(GdalDatasetHandle dataset)
    {
        using var scope = GdalErrorScope.Enter();
        var coefficients = stackalloc double[6];
        if (GdalNative.GetGeoTransform(dataset, coefficients) != 0)
        {
            return null;
        }

        return GeoTransform.FromArray(new ReadOnlySpan<double>(coefficients, 6));
    }

    public static void SetGeoTransform(GdalDatasetHandle dataset, GeoTransform transform)
    {
        using var scope = GdalErrorScope.Enter();
        var coefficients = stackalloc double[6];
        transform.ToArray().AsSpan().CopyTo(new Span<double>(coefficients, 6));
        GdalErrors.Check(GdalNative.SetGeoTransform(dataset, coefficients), "set geotransform");
    }

    /// <summary>The CRS as WKT (<c>GDALGetProjectionRef</c>) and its EPSG code (declared, else <c>OSRAutoIdentifyEPSG</c>), or null.</summary>
    public static RasterSpatialReference? GetSpatialReference(GdalDatasetHandle dataset)
    {
        using var scope = GdalErrorScope.Enter();
        var wkt = Marshal.PtrToStringUTF8((nint)GdalNative.GetProjectionRef(dataset));
        var borrowed = GdalNative.GetSpatialRef(dataset);
        if (string.IsNullOrEmpty(wkt) || borrowed == 0)
        {
            return null;
        }

        // The dataset owns its SRS: identify on a clone so the dataset's object is not modified.
        using var srs = GdalNative.CloneSpatialReference(borrowed);
        if (srs.IsInvalid)
        {
            return new RasterSpatialReference(wkt, null);
        }

        var epsg = EpsgCode(srs);
        if (epsg is null && GdalNative.AutoIdentifyEpsg(srs) == OgrNone)
        {
            epsg = EpsgCode(srs);
        }

        GdalNative.ErrorReset();
        return new RasterSpatialReference(wkt, epsg);
    }

    private static int? EpsgCode(OgrSpatialReferenceHandle srs)
    {
        var authority = Marshal.PtrToStringUTF8((nint)GdalNative.GetAuthorityName(srs, null));
        var code = Marshal.PtrToStringUTF8((nint)GdalNative.GetAuthorityCode(srs, null));
        return string.Equals(authority, "EPSG", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    public static void SetSpatialReferenceFromEpsg(GdalDatasetHandle dataset, int epsgCode)
    {
        using var scope = GdalErrorScope.Enter();
        using var srs = GdalErrors.CheckHandle(GdalNative.NewSpatialReference(null), "create spatial reference");
        if (GdalNative.ImportFromEpsg(srs, epsgCode) != OgrNone)
        {
            throw new GdalException((GdalErrorKind)GdalNative.GetLastErrorNo(), $"import EPSG:{epsgCode}", LastMessageOr($"EPSG:{epsgCode} is not a known CRS."));
        }

        GdalErrors.Check(GdalNative.SetSpatialRef(dataset, srs), $"set CRS EPSG:{epsgCode}");
    }

    public static void SetSpatialReferenceFromWkt(GdalDatasetHandle dataset, string wkt)
    {
        using var scope = GdalErrorScope.Enter();
        using var srs = GdalNative.NewSpatialReference(wkt);
        if (srs.IsInvalid)
        {
            srs.Dispose();
            throw new GdalException((GdalErrorKind)GdalNative.GetLastErrorNo(), "import WKT", LastMessageOr("The WKT is not a valid CRS."));
        }

        GdalErrors.Check(GdalNative.SetSpatialRef(dataset, srs), "set CRS from WKT");
    }
}
