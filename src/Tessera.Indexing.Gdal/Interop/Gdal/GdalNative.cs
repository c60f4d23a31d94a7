using System.Runtime.InteropServices;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>
/// The parts of GDAL's C API (<c>gdal.h</c>, <c>cpl_error.h</c>, <c>cpl_conv.h</c>, <c>cpl_vsi.h</c>,
/// <c>ogr_srs_api.h</c>, <c>gdal_utils.h</c>) that Tessera uses, bound to <c>libgdal.so.32</c>
/// (Debian bookworm's GDAL 3.6) or any <c>libgdal.so</c>. Raw calls only: <see cref="GdalProxy"/>
/// adds error checking.
/// </summary>
internal static unsafe partial class GdalNative
{
    private const string Lib = GdalRuntime.NativeLibraryName;

    static GdalNative()
    {
        Tessera.Indexing.Interop.Common.NativeLibraryLoader.Register(typeof(GdalNative).Assembly, Lib, "libgdal.so.32", "libgdal.so");
    }

    /// <summary>Forces the static constructor (and so the resolver) to run before the first call.</summary>
    internal static void EnsureRegistered()
    {
    }

    // gdal.h: drivers, datasets ----------------------------------------------------------------

    [LibraryImport(Lib, EntryPoint = "GDALAllRegister")]
    internal static partial void AllRegister();

    [LibraryImport(Lib, EntryPoint = "GDALSetCacheMax64")]
    internal static partial void SetCacheMax64(long bytes);

    [LibraryImport(Lib, EntryPoint = "GDALGetCacheMax64")]
    internal static partial long GetCacheMax64();

    [LibraryImport(Lib, EntryPoint = "GDALVersionInfo", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* VersionInfo(string request);

    [LibraryImport(Lib, EntryPoint = "GDALGetDriverByName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint GetDriverByName(string name);

    [LibraryImport(Lib, EntryPoint = "GDALOpenEx", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial GdalDatasetHandle OpenEx(string path, uint flags, byte** allowedDrivers, byte** openOptions, byte** siblingFiles);

    [LibraryImport(Lib, EntryPoint = "GDALCreate", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial GdalDatasetHandle Create(nint driver, string path, int width, int height, int bandCount, int dataType, byte** options);

    [LibraryImport(Lib, EntryPoint = "GDALCreateCopy", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial GdalDatasetHandle CreateCopy(nint driver, string path, GdalDatasetHandle source, int strict, byte** options, nint progress, nint progressData);

    [LibraryImport(Lib, EntryPoint = "GDALClose")]
    internal static partial void Close(nint dataset);

    [LibraryImport(Lib, EntryPoint = "GDALFlushCache")]
    internal static partial void FlushCache(GdalDatasetHandle dataset);

    [LibraryImport(Lib, EntryPoint = "GDALGetRasterXSize")]
    internal static partial int GetRasterXSize(GdalDatasetHandle dataset);

    [LibraryImport(Lib, EntryPoint = "GDALGetRasterYSize")]
    internal static partial int GetRasterYSize(GdalDatasetHandle dataset);

    [LibraryImport(Lib, EntryPoint = "GDALGetRasterCount")]
    internal static partial int GetRasterCount(GdalDatasetHandle dataset);

    [LibraryImport(Lib, EntryPoint = "GDALGetRasterBand")]
    internal static partial nint GetRasterBand(GdalDatasetHandle dataset, int bandNumber);

    [LibraryImport(Lib, EntryPoint = "GDALGetDatasetDriver")]
    internal static partial nint GetDatasetDriver(GdalDatasetHandle dataset);

    [LibraryImport(Lib, EntryPoint = "GDALGetDriverShortName")]
    internal static partial byte* GetDriverShortName(nint driver);

    [LibraryImport(Lib, EntryPoint = "GDALGetGeoTransform")]
    internal static partial int GetGeoTransform(GdalDatasetHandle dataset, double* coefficients);

    [LibraryImport(Lib, EntryPoint = "GDALSetGeoTransform")]
    internal static partial int SetGeoTransform(GdalDatasetHandle dataset, double* coefficients);

    [LibraryImport(Lib, EntryPoint = "GDALGetProjectionRef")]
    internal static partial byte* GetProjectionRef(GdalDatasetHandle dataset);

    [LibraryImport(Lib, EntryPoint = "GDALGetSpatialRef")]
    internal static partial nint GetSpatialRef(GdalDatasetHandle dataset);

    [LibraryImport(Lib, EntryPoint = "GDALSetSpatialRef")]
    internal static partial int SetSpatialRef(GdalDatasetHandle dataset, OgrSpatialReferenceHandle srs);

    [LibraryImport(Lib, EntryPoint = "GDALDatasetRasterIOEx")]
    internal static partial int DatasetRasterIOEx(
        GdalDatasetHandle dataset,
        int readWrite,
        int xOff,
        int yOff,
        int xSize,
        int ySize,
        void* buffer,
        int bufferXSize,
        int bufferYSize,
        int bufferType,
        int bandCount,
        int* bandMap,
        long pixelSpace,
        long lineSpace,
        long bandSpace,
        RasterIOExtraArg* extraArg);

    [LibraryImport(Lib, EntryPoint = "GDALGetMetadataItem", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* GetMetadataItem(nint majorObject, string name, string? domain);

    [LibraryImport(Lib, EntryPoint = "GDALGetMetadataItem", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* GetDatasetMetadataItem(GdalDatasetHandle dataset, string name, string? domain);

    /// <summary><c>GDALGetMetadataItem</c> with a caller-built NUL-terminated UTF-8 name (no marshalling allocation per call).</summary>
    [LibraryImport(Lib, EntryPoint = "GDALGetMetadataItem")]
    internal static partial byte* GetMetadataItemUtf8(nint majorObject, byte* name, byte* domain);

    // gdal.h: bands --------------------------------------------------------------------------

    [LibraryImport(Lib, EntryPoint = "GDALGetRasterDataType")]
    internal static partial int GetRasterDataType(nint band);

    [LibraryImport(Lib, EntryPoint = "GDALGetBlockSize")]
    internal static partial void GetBlockSize(nint band, out int xSize, out int ySize);

    [LibraryImport(Lib, EntryPoint = "GDALRasterIOEx")]
    internal static partial int RasterIOEx(
        nint band,
        int readWrite,
        int xOff,
        int yOff,
        int xSize,
        int ySize,
        void* buffer,
        int bufferXSize,
        int bufferYSize,
        int bufferType,
        long pixelSpace,
        long lineSpace,
        RasterIOExtraArg* extraArg);

    [LibraryImport(Lib, EntryPoint = "GDALGetRasterNoDataValue")]
    internal static partial double GetRasterNoDataValue(nint band, out int hasNoData);

    [LibraryImport(Lib, EntryPoint = "GDALSetRasterNoDataValue")]
    internal static partial int SetRasterNoDataValue(nint band, double value);

    [LibraryImport(Lib, EntryPoint = "GDALGetRasterColorInterpretation")]
    internal static partial int GetRasterColorInterpretation(nint band);

    [LibraryImport(Lib, EntryPoint = "GDALGetRasterColorTable")]
    internal static partial nint GetRasterColorTable(nint band);

    // gdal_utils.h ---------------------------------------------------------------------------

    [LibraryImport(Lib, EntryPoint = "GDALTranslateOptionsNew")]
    internal static partial GdalTranslateOptionsHandle TranslateOptionsNew(byte** argv, nint binaryOptions);

    [LibraryImport(Lib, EntryPoint = "GDALTranslateOptionsFree")]
    internal static partial void TranslateOptionsFree(nint options);

    [LibraryImport(Lib, EntryPoint = "GDALTranslate", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial GdalDatasetHandle Translate(string destination, GdalDatasetHandle source, GdalTranslateOptionsHandle options, int* usageError);

    [LibraryImport(Lib, EntryPoint = "GDALWarpAppOptionsNew")]
    internal static partial GdalWarpOptionsHandle WarpAppOptionsNew(byte** argv, nint binaryOptions);

    [LibraryImport(Lib, EntryPoint = "GDALWarpAppOptionsFree")]
    internal static partial void WarpAppOptionsFree(nint options);

    [LibraryImport(Lib, EntryPoint = "GDALWarp", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial GdalDatasetHandle Warp(string destination, nint destinationDataset, int sourceCount, nint* sources, GdalWarpOptionsHandle options, int* usageError);

    // cpl_error.h, cpl_conv.h ----------------------------------------------------------------

    [LibraryImport(Lib, EntryPoint = "CPLErrorReset")]
    internal static partial void ErrorReset();

    [LibraryImport(Lib, EntryPoint = "CPLGetLastErrorNo")]
    internal static partial int GetLastErrorNo();

    [LibraryImport(Lib, EntryPoint = "CPLGetLastErrorType")]
    internal static partial int GetLastErrorType();

    [LibraryImport(Lib, EntryPoint = "CPLGetLastErrorMsg")]
    internal static partial byte* GetLastErrorMsg();

    [LibraryImport(Lib, EntryPoint = "CPLPushErrorHandler")]
    internal static partial void PushErrorHandler(delegate* unmanaged<int, int, byte*, void> handler);

    [LibraryImport(Lib, EntryPoint = "CPLPopErrorHandler")]
    internal static partial void PopErrorHandler();

    [LibraryImport(Lib, EntryPoint = "CPLSetThreadLocalConfigOption", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void SetThreadLocalConfigOption(string key, string? value);

    [LibraryImport(Lib, EntryPoint = "CPLGetThreadLocalConfigOption", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* GetThreadLocalConfigOption(string key, string? defaultValue);

    // cpl_compressor.h -----------------------------------------------------------------------

    /// <summary>A registered decompressor (<c>CPLGetDecompressor</c>: <c>zlib</c>, <c>zstd</c>, <c>lzma</c>…), or null; GDAL owns it for the life of the process.</summary>
    [LibraryImport(Lib, EntryPoint = "CPLGetDecompressor", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CplCompressorInfo* GetDecompressor(string id);

    /// <summary>The layout of GDAL's <c>CPLCompressor</c> (structure version 1).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CplCompressorInfo
    {
        public int StructVersion;
        public byte* Id;
        public int Type;
        public byte** Metadata;
        public delegate* unmanaged<void*, nuint, void**, nuint*, byte**, void*, byte> Function;
        public void* UserData;
    }

    // cpl_vsi.h ------------------------------------------------------------------------------

    [LibraryImport(Lib, EntryPoint = "VSIFileFromMemBuffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial VsiFileHandle FileFromMemBuffer(string path, byte* data, ulong length, int takeOwnership);

    [LibraryImport(Lib, EntryPoint = "VSIFCloseL")]
    internal static partial int FCloseL(nint file);

    [LibraryImport(Lib, EntryPoint = "VSIUnlink", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Unlink(string path);

    [LibraryImport(Lib, EntryPoint = "VSIGetMemFileBuffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial VsiMemoryHandle GetMemFileBuffer(string path, out ulong length, int unlinkAndSeize);

    [LibraryImport(Lib, EntryPoint = "VSICurlPartialClearCache", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void CurlPartialClearCache(string pathPrefix);

    [LibraryImport(Lib, EntryPoint = "VSIFree")]
    internal static partial void Free(nint memory);

    // ogr_srs_api.h --------------------------------------------------------------------------

    [LibraryImport(Lib, EntryPoint = "OSRNewSpatialReference", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial OgrSpatialReferenceHandle NewSpatialReference(string? wkt);

    [LibraryImport(Lib, EntryPoint = "OSRClone")]
    internal static partial OgrSpatialReferenceHandle CloneSpatialReference(nint srs);

    [LibraryImport(Lib, EntryPoint = "OSRDestroySpatialReference")]
    internal static partial void DestroySpatialReference(nint srs);

    [LibraryImport(Lib, EntryPoint = "OSRImportFromEPSG")]
    internal static partial int ImportFromEpsg(OgrSpatialReferenceHandle srs, int code);

    [LibraryImport(Lib, EntryPoint = "OSRAutoIdentifyEPSG")]
    internal static partial int AutoIdentifyEpsg(OgrSpatialReferenceHandle srs);

    [LibraryImport(Lib, EntryPoint = "OSRGetAuthorityName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* GetAuthorityName(OgrSpatialReferenceHandle srs, string? targetKey);

    [LibraryImport(Lib, EntryPoint = "OSRGetAuthorityCode", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* GetAuthorityCode(OgrSpatialReferenceHandle srs, string? targetKey);

    [LibraryImport(Lib, EntryPoint = "OSRSetFromUserInput", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetFromUserInput(OgrSpatialReferenceHandle srs, string definition);

    /// <summary><c>OSRSetAxisMappingStrategy</c>: 0 = <c>OAMS_TRADITIONAL_GIS_ORDER</c> (longitude/easting first).</summary>
    [LibraryImport(Lib, EntryPoint = "OSRSetAxisMappingStrategy")]
    internal static partial void SetAxisMappingStrategy(OgrSpatialReferenceHandle srs, int strategy);

    [LibraryImport(Lib, EntryPoint = "OCTNewCoordinateTransformation")]
    internal static partial OgrCoordinateTransformationHandle NewCoordinateTransformation(OgrSpatialReferenceHandle source, OgrSpatialReferenceHandle target);

    [LibraryImport(Lib, EntryPoint = "OCTDestroyCoordinateTransformation")]
    internal static partial void DestroyCoordinateTransformation(nint transform);

    /// <summary><c>OCTTransformEx</c>: transforms in place; <paramref name="success"/> gets one flag per point.</summary>
    [LibraryImport(Lib, EntryPoint = "OCTTransformEx")]
    internal static partial int TransformEx(OgrCoordinateTransformationHandle transform, int count, double* x, double* y, double* z, int* success);

    /// <summary>Mirror of <c>GDALRasterIOExtraArg</c> (version 1, GDAL 2.0 to 3.x).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct RasterIOExtraArg
    {
        public int Version;
        public int ResampleAlg;
        public delegate* unmanaged<double, byte*, void*, int> Progress;
        public void* ProgressData;
        public int FloatingPointWindowValidity;
        public double XOff;
        public double YOff;
        public double XSize;
        public double YSize;
    }
}
