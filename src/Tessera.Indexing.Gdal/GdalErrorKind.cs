namespace Tessera.Indexing.Gdal;

/// <summary>GDAL's error numbers (<c>CPLErrorNum</c> in <c>cpl_error.h</c>); the values are GDAL's own.</summary>
public enum GdalErrorKind
{
    /// <summary>GDAL reported failure without an error number (<c>CPLE_None</c>).</summary>
    Unknown = 0,

    /// <summary>A driver-specific failure (<c>CPLE_AppDefined</c>).</summary>
    AppDefined = 1,

    /// <summary>Out of memory (<c>CPLE_OutOfMemory</c>).</summary>
    OutOfMemory = 2,

    /// <summary>A read or write failed (<c>CPLE_FileIO</c>): a truncated file, a full disk.</summary>
    FileIO = 3,

    /// <summary>The file could not be opened, or no driver recognised it (<c>CPLE_OpenFailed</c>).</summary>
    OpenFailed = 4,

    /// <summary>An argument was out of range (<c>CPLE_IllegalArg</c>).</summary>
    IllegalArgument = 5,

    /// <summary>The driver does not support the operation (<c>CPLE_NotSupported</c>).</summary>
    NotSupported = 6,

    /// <summary>An internal assertion failed (<c>CPLE_AssertionFailed</c>).</summary>
    AssertionFailed = 7,

    /// <summary>The file cannot be written (<c>CPLE_NoWriteAccess</c>).</summary>
    NoWriteAccess = 8,

    /// <summary>The operation was interrupted by its progress callback, i.e. cancelled (<c>CPLE_UserInterrupt</c>).</summary>
    UserInterrupt = 9,

    /// <summary>A null object was passed (<c>CPLE_ObjectNull</c>).</summary>
    ObjectNull = 10,

    /// <summary>An HTTP request failed (<c>CPLE_HttpResponse</c>).</summary>
    HttpResponse = 11,
}
