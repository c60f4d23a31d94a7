using Microsoft.Extensions.Options;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Gdal.Tests.Images;

/// <summary>Images read through GDAL's <c>/vsicurl/</c> from a real HTTP server on 127.0.0.1.</summary>
public sealed class GdalImageDecoderHttpTests : IDisposable
{
    private readonly LoopbackImageServer _server = new();
    // Generous timeouts for requests that are answered (a loaded CI machine can take seconds to
    // schedule the loopback server); the stall test uses its own short-timeout decoder.
    private readonly GdalImageDecoder _decoder = new(Options.Create(new GdalImageDecoderOptions
    {
        HttpTimeout = TimeSpan.FromSeconds(60),
        HttpConnectTimeout = TimeSpan.FromSeconds(30),
        HttpMaxRetries = 0,
    }));

    private readonly GdalImageDecoder _impatientDecoder = new(Options.Create(new GdalImageDecoderOptions
    {
        HttpTimeout = TimeSpan.FromSeconds(2),
        HttpConnectTimeout = TimeSpan.FromSeconds(2),
        HttpMaxRetries = 0,
    }));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task An_http_url_decodes_like_the_same_bytes()
    {
        var jpeg = ImageFixtures.Encode("JPEG", 400, 200, 3, ImageFixtures.WideStripes(), "QUALITY=90");
        var url = _server.Add("images/stripes.jpg", jpeg);

        var fromUrl = await _decoder.DecodeAsync(url, ImageDecodeOptions.Clip224);

        Assert.Equal((224, 224), (fromUrl.Width, fromUrl.Height));
        Assert.Equal(_decoder.Decode(jpeg, ImageDecodeOptions.Clip224).Pixels.ToArray(), fromUrl.Pixels.ToArray());
        Assert.True(_server.RequestCount > 0);
    }

    [Fact]
    public async Task A_url_with_a_query_string_is_fetched()
    {
        var pixels = ImageFixtures.Noise(12 * 12 * 3, seed: 31);
        var url = _server.Add("img.png", ImageFixtures.Encode("PNG", 12, 12, 3, pixels)) + "?size=original&v=2";

        var image = await _decoder.DecodeAsync(url);

        Assert.Equal(pixels, image.Pixels.ToArray());
    }

    [Fact]
    public async Task A_404_url_is_a_decode_failure_that_says_so()
    {
        var url = _server.BaseUrl + "no/such/image.png";

        var error = await Assert.ThrowsAsync<ImageDecodeException>(async () => await _decoder.DecodeAsync(url));

        Assert.Equal(url, error.Location);
        Assert.StartsWith("download failed", error.Reason, StringComparison.Ordinal);
        Assert.Contains("404", error.Reason, StringComparison.Ordinal);
        Assert.Equal(GdalErrorKind.HttpResponse, Assert.IsType<GdalException>(error.InnerException).Kind);
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_after_the_http_timeout()
    {
        var url = _server.Stall("slow.png");

        var error = await Assert.ThrowsAsync<ImageDecodeException>(async () => await _impatientDecoder.DecodeAsync(url));

        Assert.Equal(url, error.Location);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }

    [Fact]
    public async Task A_cancelled_token_stops_an_http_decode()
    {
        var url = _server.Add("c.png", ImageFixtures.Encode("PNG", 8, 8, 3, new byte[192]));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _decoder.DecodeAsync(url, null, cancelled.Token));
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task Cancelling_while_the_server_stalls_stops_waiting()
    {
        var url = _server.Stall("stalled.jpg");
        using var cancellation = new CancellationTokenSource();
        var decode = _impatientDecoder.DecodeAsync(url, ImageDecodeOptions.Clip224, cancellation.Token).AsTask();
        while (_server.RequestCount == 0)
        {
            await Task.Delay(10);
        }

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => decode);
    }

    [Fact]
    public async Task A_connection_refused_is_a_decode_failure()
    {
        string url;
        using (var other = new LoopbackImageServer())
        {
            url = other.BaseUrl + "gone.png";
        }

        var error = await Assert.ThrowsAsync<ImageDecodeException>(async () => await _decoder.DecodeAsync(url));

        Assert.StartsWith("download failed", error.Reason, StringComparison.Ordinal);
    }
}
