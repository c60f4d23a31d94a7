using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Gdal.Tests.Contracts;

/// <summary>The coordinate transform contract for GDAL's OSR (<see cref="GdalCoordinateTransformFactory"/>).</summary>
public sealed class GdalCoordinateTransformFactoryContractTests : CoordinateTransformFactoryContract
{
    protected override ICoordinateTransformFactory CreateFactory() => new GdalCoordinateTransformFactory();
}
