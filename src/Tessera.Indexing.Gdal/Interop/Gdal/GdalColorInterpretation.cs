namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>GDAL's <c>GDALColorInterp</c> values used here.</summary>
internal enum GdalColorInterpretation
{
    Undefined = 0,
    GrayIndex = 1,
    PaletteIndex = 2,
    RedBand = 3,
    GreenBand = 4,
    BlueBand = 5,
    AlphaBand = 6,
}
