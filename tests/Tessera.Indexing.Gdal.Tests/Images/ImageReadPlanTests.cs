using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Gdal.Tests.Images;

public sealed class ImageReadPlanTests
{
    [Fact]
    public void Clip224_of_400x200_reads_the_centre_200x200_square()
    {
        var plan = ImageReadPlan.Create(400, 200, ImageDecodeOptions.Clip224, out _)!.Value;

        Assert.Equal((100.0, 0.0, 200.0, 200.0), (plan.SourceX, plan.SourceY, plan.SourceWidth, plan.SourceHeight));
        Assert.Equal((448, 224, 224, 224), (plan.ScaledWidth, plan.ScaledHeight, plan.OutputWidth, plan.OutputHeight));
    }

    [Fact]
    public void Clip224_of_640x480_scales_like_torchvision_and_centres_the_crop()
    {
        var plan = ImageReadPlan.Create(640, 480, ImageDecodeOptions.Clip224, out _)!.Value;

        // torchvision: long side int(224 * 640 / 480) = 298; left = round((298 - 224) / 2) = 37.
        Assert.Equal((298, 224), (plan.ScaledWidth, plan.ScaledHeight));
        Assert.Equal(37 * 640.0 / 298, plan.SourceX, 9);
        Assert.Equal(224 * 640.0 / 298, plan.SourceWidth, 9);
        Assert.Equal((0.0, 480.0), (plan.SourceY, plan.SourceHeight));
    }

    [Fact]
    public void No_options_read_the_whole_image_at_its_own_size()
    {
        var plan = ImageReadPlan.Create(33, 17, null, out _)!.Value;

        Assert.True(plan.IsIdentityScale(33, 17));
        Assert.Equal((0, 0, 33, 17), plan.IntegerWindow(33, 17));
        Assert.Equal((33, 17), (plan.OutputWidth, plan.OutputHeight));
    }

    [Fact]
    public void A_crop_bigger_than_the_scaled_image_has_no_plan_and_a_reason()
    {
        var plan = ImageReadPlan.Create(100, 50, new ImageDecodeOptions { ShortestSide = 20, CropWidth = 30, CropHeight = 30 }, out var reason);

        Assert.Null(plan);
        Assert.Equal("the 100x50 image scaled to 40x20 is smaller than the 30x30 crop", reason);
    }
}
