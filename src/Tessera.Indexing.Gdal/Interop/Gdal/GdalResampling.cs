namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>GDAL's <c>GDALRIOResampleAlg</c> values used here.</summary>
internal enum GdalResampling
{
    NearestNeighbour = 0,
    Bilinear = 1,
    Cubic = 2,
    CubicSpline = 3,
    Lanczos = 4,
    Average = 5,
}
