using Microsoft.Extensions.Options;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Mosaics.Pipeline;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests.Pipeline;

public sealed class MosaicPreviewPostProcessorTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-preview");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_mosaic_preview_png_shows_the_same_picture_as_the_viewports_own_preview()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 60, 50, 16);
        var viewport = ViewportFixtures.BuildViewport(mosaic, _temp.File("indices"), "v1");
        var step = Step(maxSize: 16);
        var context = new ViewportJobContext(new ViewportJob("v1", mosaic), _temp.File("indices"), viewport);

        var outcome = await step.RunAsync(context, new Progress<double>(), CancellationToken.None);
        await step.ValidateAsync(context, CancellationToken.None);

        Assert.Equal(ViewportFeatureOutcome.Completed, outcome);
        using var png = GdalRasterSource.Open(_temp.File("previews/v1.png"));
        Assert.Equal("PNG", png.DriverName);
        Assert.Equal((15, 13, 3), (png.Width, png.Height, png.BandCount));
        var written = new byte[15 * 13 * 3];
        png.ReadWindow<byte>(0, 0, 15, 13, written);
        using var searcher = ViewportSearcher.Open(viewport);
        var (expected, factor) = searcher.RenderPreview(ViewportPreviewMode.Bands123, 16);
        Assert.Equal(4, factor);
        Assert.Equal(expected.Pixels.ToArray(), written);
    }

    [Fact]
    public async Task A_preview_newer_than_its_mosaic_is_kept_unless_the_job_is_forced()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 20, 20, 8);
        var step = Step(maxSize: 64);
        var context = new ViewportJobContext(new ViewportJob("v2", mosaic), _temp.File("indices"), _temp.File("indices/v2"));
        await step.RunAsync(context, new Progress<double>(), CancellationToken.None);

        var again = await step.RunAsync(context, new Progress<double>(), CancellationToken.None);
        var forced = await step.RunAsync(context with { Job = context.Job with { Force = true } }, new Progress<double>(), CancellationToken.None);

        Assert.Equal(ViewportFeatureOutcome.Cached, again);
        Assert.Equal(ViewportFeatureOutcome.Completed, forced);
    }

    [Fact]
    public async Task A_file_no_factory_reads_fails_the_step_and_writes_no_preview()
    {
        File.WriteAllText(_temp.File("bad.tif"), "not a raster");
        var step = Step(maxSize: 64);
        var context = new ViewportJobContext(new ViewportJob("v3", _temp.File("bad.tif")), _temp.File("indices"), _temp.File("indices/v3"));

        var error = await Assert.ThrowsAsync<MosaicIndexException>(() => step.RunAsync(context, new Progress<double>(), CancellationToken.None));

        Assert.Equal(MosaicIndexErrorKind.NotARaster, error.Kind);
        Assert.False(File.Exists(_temp.File("previews/v3.png")));
        await Assert.ThrowsAsync<FileNotFoundException>(() => step.ValidateAsync(context, CancellationToken.None));
    }

    private MosaicPreviewPostProcessor Step(int maxSize) => new(
        [new GdalRasterSourceFactory()],
        Options.Create(new MosaicPreviewOptions { PreviewsRoot = _temp.File("previews"), MaxSize = maxSize }));
}
