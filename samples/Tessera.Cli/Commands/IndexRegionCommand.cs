using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Rasters;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera index-region</c>: one viewport from several GeoTessera tiles (a WGS84 box over a folder in
/// GeoTessera's layout, or a list of tiles), each georeferenced by its landmask, reprojected into one
/// CRS with GDAL's warper (bilinear, as GeoTessera's <c>fetch_mosaic_for_region</c>) and indexed as one mosaic.
/// </summary>
internal static class IndexRegionCommand
{
    public static Command Create()
    {
        var folder = new Option<string?>("--geotessera") { Description = "A folder in GeoTessera's layout (global_0.1_degree_representation/, global_0.1_degree_tiff_all/); with --year and --bbox." };
        var year = new Option<int>("--year") { Description = "The embeddings' year.", DefaultValueFactory = _ => 2024 };
        var bbox = new Option<string?>("--bbox") { Description = "The region as WEST,SOUTH,EAST,NORTH in WGS84 degrees; the merged raster is clipped to it." };
        var tiles = new Option<string[]>("--tiles") { Description = "GeoTessera tiles (grid_X_Y.npy) to merge, instead of --geotessera/--bbox.", AllowMultipleArgumentsPerToken = true };
        var crs = new Option<string>("--crs") { Description = "The merged raster's CRS (EPSG:nnnn or WKT).", DefaultValueFactory = _ => "EPSG:4326" };
        var resolution = new Option<double?>("--resolution") { Description = "Pixel size in the CRS's units (default 0.0001 degrees, or 10 m for a projected CRS)." };
        var landmask = new Option<string?>("--landmask") { Description = "A folder of grid_X_Y.tiff landmasks, if not in GeoTessera's layout beside the tiles." };
        var maskWater = new Option<bool>("--mask-water") { Description = "Treat water pixels (landmask 0) as no data." };
        var viewport = new Option<string>("--viewport") { Description = "The viewport id: the output folder's name under --out.", Required = true };
        var output = new Option<string>("--out") { Description = "The folder holding the viewports; the merged GeoTIFF is written there as <viewport>.region.tif.", Required = true };
        var options = new MosaicCommandOptions();
        var command = new Command("index-region", "Build one viewport from several GeoTessera tiles, reprojected into one CRS (GDAL warp, bilinear).")
        {
            folder, year, bbox, tiles, crs, resolution, landmask, maskWater, viewport, output,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            new Arguments(
                parse.GetValue(folder),
                parse.GetValue(year),
                parse.GetValue(bbox),
                parse.GetValue(tiles) ?? [],
                parse.GetValue(crs)!,
                parse.GetValue(resolution),
                parse.GetValue(landmask),
                parse.GetValue(maskWater)),
            options.ToMosaicOptions(parse, parse.GetValue(viewport)!, parse.GetValue(output)!),
            options.Json(parse),
            options.Verbose(parse),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Arguments a, MosaicIndexOptions mosaicOptions, bool json, bool verbose, CancellationToken cancellationToken)
    {
        (double West, double South, double East, double North)? box;
        List<string> paths;
        try
        {
            (box, paths) = Resolve(a);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return IndexMosaicCommand.InputError;
        }

        Directory.CreateDirectory(mosaicOptions.OutputRoot);
        var region = Path.Combine(mosaicOptions.OutputRoot, mosaicOptions.ViewportId + ".region.tif");
        // The tile factory as the library registers it (landmask reader and CRS transforms from DI).
        await using var services = IndexMosaicCommand.CreateServices(verbose, o =>
        {
            o.Landmask = a.Landmask;
            o.MaskWater = a.MaskWater;
        });
        var tiles = services.GetRequiredKeyedService<IRasterSourceFactory>(GeoTesseraTileSourceFactory.ServiceKey);
        try
        {
            var target = RasterSpatialReference.Parse(a.Crs, null) ?? RasterSpatialReference.Wgs84;
            Console.Error.WriteLine($"merging {paths.Count} tile(s) into {target} at {region}");
            GdalRegionMosaic.Write(
                paths,
                tiles,
                region,
                new GdalRegionMosaicOptions { TargetCrs = target, Resolution = a.Resolution, Bounds = box },
                cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException or Tessera.Indexing.TesseraException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e is FileNotFoundException or InvalidDataException or ArgumentException ? IndexMosaicCommand.InputError : IndexMosaicCommand.BuildError;
        }

        return await IndexMosaicCommand.RunAsync(region, mosaicOptions, json, verbose, cancellationToken);
    }

    private static ((double West, double South, double East, double North)? Box, List<string> Paths) Resolve(Arguments a)
    {
        if (a.Tiles.Length > 0)
        {
            if (a.Folder is not null)
            {
                throw new ArgumentException("Give --tiles or --geotessera with --bbox, not both.");
            }

            return (a.Bbox is null ? null : ParseBox(a.Bbox), [.. a.Tiles]);
        }

        if (a.Folder is null || a.Bbox is null)
        {
            throw new ArgumentException("Give --geotessera FOLDER with --bbox WEST,SOUTH,EAST,NORTH (and --year), or --tiles.");
        }

        var box = ParseBox(a.Bbox);
        var cells = GeoTesseraRegion.FindTiles(a.Folder, a.Year, box.West, box.South, box.East, box.North);
        var present = cells.Where(c => c.Exists).Select(c => c.EmbeddingsPath).ToList();
        var missing = cells.Count - present.Count;
        if (present.Count == 0)
        {
            throw new ArgumentException($"No tile of {a.Year} under '{a.Folder}' covers the box ({cells.Count} cell(s) looked for, for example {cells[0].EmbeddingsPath}).");
        }

        if (missing > 0)
        {
            Console.Error.WriteLine($"warning: {missing} of {cells.Count} cell(s) of the box have no tile; they are left as no data.");
        }

        return (box, present);
    }

    private static (double West, double South, double East, double North) ParseBox(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[4];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            throw new ArgumentException($"--bbox must be WEST,SOUTH,EAST,NORTH in degrees, not '{text}'.");
        }

        if (!(values[0] < values[2]) || !(values[1] < values[3]))
        {
            throw new ArgumentException($"--bbox must have WEST < EAST and SOUTH < NORTH, not '{text}'.");
        }

        return (values[0], values[1], values[2], values[3]);
    }

    private sealed record Arguments(string? Folder, int Year, string? Bbox, string[] Tiles, string Crs, double? Resolution, string? Landmask, bool MaskWater);
}
