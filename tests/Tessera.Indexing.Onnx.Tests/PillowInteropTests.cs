using System.Globalization;
using Tessera.Indexing.Onnx.Embeddings;
using Tessera.Indexing.Onnx.Preprocessing;
using Tessera.Indexing.Onnx.Tests.Reference;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Onnx.Tests;

/// <summary>Our resize + centre crop against Pillow's own (Debian's python3-pil), the library CLIP's preprocessing uses.</summary>
public sealed class PillowInteropTests
{
    private const string Script = """
        import json, sys
        from PIL import Image
        path, width, height, rw, rh, crop, resample = sys.argv[1:8]
        width, height, rw, rh, crop = int(width), int(height), int(rw), int(rh), int(crop)
        image = Image.frombytes("RGB", (width, height), open(path, "rb").read())
        filt = Image.BILINEAR if resample == "Bilinear" else Image.BICUBIC
        resized = image.resize((rw, rh), filt)
        left = int(round((rw - crop) / 2.0)); top = int(round((rh - crop) / 2.0))
        cropped = resized.crop((left, top, left + crop, top + crop))
        print(json.dumps(list(cropped.tobytes())))
        """;

    [Theory]
    [InlineData(640, 480, 224, 224, ImageResizeFilter.Bilinear)]
    [InlineData(97, 131, 40, 32, ImageResizeFilter.Bilinear)]
    [InlineData(30, 20, 64, 64, ImageResizeFilter.Bilinear)]
    [InlineData(640, 480, 224, 224, ImageResizeFilter.Bicubic)]
    [InlineData(30, 20, 64, 64, ImageResizeFilter.Bicubic)]
    public void Resize_and_crop_match_pillow_within_its_8_bit_rounding(int width, int height, int shortest, int crop, ImageResizeFilter filter)
    {
        var image = TestImages.Smooth(width, height, seed: width + height);
        using var dir = new TempDirectory("pil");
        var path = dir.File("image.rgb");
        File.WriteAllBytes(path, TestImages.Bytes(image));
        var (rw, rh) = ClipPreprocessor.ResizedSize(width, height, shortest);

        var pillow = Python.RunJson(
            Script,
            path,
            Str(width),
            Str(height),
            Str(rw),
            Str(rh),
            Str(crop),
            filter.ToString());

        // Mean 0 and std 1/255 leave values in pixel units.
        var ours = new float[3 * crop * crop];
        new ClipPreprocessor(shortest, crop, [0f, 0f, 0f], [1f / 255, 1f / 255, 1f / 255], filter).Process(image, ours);
        var plane = crop * crop;
        var i = 0;
        double worst = 0;
        double total = 0;
        foreach (var value in pillow.EnumerateArray())
        {
            var pixel = i / 3;
            var channel = i % 3;
            var difference = Math.Abs(value.GetInt32() - ours[(channel * plane) + pixel]);
            worst = Math.Max(worst, difference);
            total += difference;
            i++;
        }

        Assert.Equal(3 * plane, i);
        Assert.True(worst <= 1.5, $"largest difference from Pillow: {worst}");
        Assert.True(total / i < 0.5, $"mean difference from Pillow: {total / i}");
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
