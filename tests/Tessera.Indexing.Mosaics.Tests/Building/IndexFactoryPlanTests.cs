using Tessera.Indexing.Mosaics.Building;

namespace Tessera.Indexing.Mosaics.Tests.Building;

public sealed class IndexFactoryPlanTests
{
    [Theory]
    [InlineData("IVF1024,PQ64", 65_536, "IVF1024,PQ64", 1024)]
    [InlineData("IVF1024,PQ64", 39_936, "IVF1024,PQ64", 1024)]
    [InlineData("IVF1024,PQ64", 39_935, "IVF1023,PQ64", 1023)]
    [InlineData("IVF1024,PQ64np", 10_000, "IVF256,PQ64np", 256)]
    [InlineData("OPQ16_64,IVF512,PQ16", 3_900, "OPQ16_64,IVF100,PQ16", 100)]
    [InlineData("IVF256_HNSW32,Flat", 390, "IVF10_HNSW32,Flat", 10)]
    [InlineData("IVF4,Flat", 10, "IVF1,Flat", 1)]
    public void The_IVF_list_count_is_lowered_to_39_training_points_per_list(string requested, long training, string effective, int nlist)
    {
        var plan = IndexFactoryPlan.Create(requested, training);

        Assert.Equal(effective, plan.Effective);
        Assert.Equal(nlist, plan.Nlist);
        Assert.Equal(effective != requested, plan.NlistLowered);
    }

    [Theory]
    [InlineData("Flat", "IDMap2,Flat")]
    [InlineData("HNSW32", "IDMap2,HNSW32")]
    [InlineData("PCA32,Flat", "IDMap2,PCA32,Flat")]
    [InlineData("IDMap,Flat", "IDMap,Flat")]
    [InlineData("IVF16,PQ8", "IVF16,PQ8")]
    [InlineData(" IVF16,Flat ", "IVF16,Flat")]
    public void Indexes_that_cannot_take_explicit_ids_are_wrapped_in_IDMap2(string requested, string wrapped)
    {
        Assert.Equal(wrapped, IndexFactoryPlan.Wrap(requested));
    }

    [Theory]
    [InlineData("IVF16,PQ8", 256)]
    [InlineData("IVF16,PQ8np", 256)]
    [InlineData("IVF16,PQ8x4fs", 16)]
    [InlineData("PQ16x10", 1024)]
    [InlineData("OPQ8_64,IVF16,Flat", 0)]
    [InlineData("IVF16,SQ8", 0)]
    public void The_product_quantiser_needs_two_to_the_bits_training_points(string factory, int minimum)
    {
        Assert.Equal(minimum, IndexFactoryPlan.Create(factory, 1_000_000).MinimumTrainingPoints);
    }
}
