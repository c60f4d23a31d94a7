using System.Diagnostics;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Faiss;

/// <summary>Factory strings are validated before FAISS's <c>index_factory</c> sees them.</summary>
public sealed class FaissFactoryStringTests
{
    [Theory]
    [InlineData("IVF0,Flat", "IVF0")]
    [InlineData("PQ0", "PQ0")]
    [InlineData("IVF16,PQ16x0", "PQ16x0")]
    [InlineData("HNSW0", "HNSW0")]
    [InlineData("PCA0,Flat", "PCA0")]
    [InlineData("LSH", "Hamming")]
    [InlineData("PQ48", "PQ48")]
    [InlineData("IVF16,PQ4x4fs", "fast-scan")]
    public void Strings_that_crashed_faiss_or_give_meaningless_results_are_refused_with_a_typed_error(string factory, string named)
    {
        // Each of these ended in SIGABRT, SIGFPE or SIGSEGV inside index_factory, or built an index whose scores mean nothing.
        var error = Assert.Throws<FaissException>(() => FaissIndex.Create(32, factory));

        Assert.Equal(FaissErrorKind.InvalidFactoryString, error.Kind);
        Assert.Equal("index_factory", error.Operation);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_huge_list_count_is_refused_by_its_memory_estimate_in_milliseconds()
    {
        // The IVF99999999,PQ64 took 9.4 s and 4.9 GB to fail.
        var watch = Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<FaissException>(() => FaissIndex.Create(128, "IVF99999999,PQ64"));

        Assert.Equal(FaissErrorKind.MemoryBudgetExceeded, error.Kind);
        Assert.Contains("MaxMemoryBytes", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void The_budget_is_configurable_per_call_and_per_builder()
    {
        var small = new FaissIndexOptions { MaxMemoryBytes = 1 << 20 };

        // IVF4096,Flat over 128-d: 4096 x 512 bytes of centroids alone, about 2.3 MB.
        Assert.Equal(FaissErrorKind.MemoryBudgetExceeded, Assert.Throws<FaissException>(() => FaissIndex.Create(128, "IVF4096,Flat", VectorMetric.L2, small)).Kind);
        using var fits = FaissIndex.Create(128, "IVF4096,Flat");
        Assert.Equal(4096, fits.GetIvfInfo().NList);

        var builder = new FaissIndexBuilder(small);
        Assert.Throws<FaissException>(() => builder.Create(new VectorIndexSpec(128, "IVF4096,Flat")));
        Assert.Throws<ArgumentException>(() => new FaissIndexBuilder(new FaissIndexOptions { MaxMemoryBytes = 0 }));
    }

    [Fact]
    public void The_description_is_the_trimmed_factory_string()
    {
        using var index = FaissIndex.Create(8, "  IVF4,Flat ");
        Assert.Equal("IVF4,Flat", index.Description);
    }

    [Fact]
    public void Every_supported_string_builds_an_index_faiss_can_write_and_the_validator_reads_back()
    {
        foreach (var factory in FaissTestIndexes.SupportedFactories)
        {
            foreach (var metric in new[] { VectorMetric.L2, VectorMetric.InnerProduct })
            {
                if (factory.Contains("_PQ", StringComparison.Ordinal) && metric == VectorMetric.InnerProduct)
                {
                    Assert.Throws<FaissException>(() => FaissIndex.Create(FaissTestIndexes.D, factory, metric));
                    continue;
                }

                using var index = FaissIndex.Deserialize(FaissTestIndexes.Build(factory, metric));
                Assert.Equal(metric, index.Metric);
            }
        }
    }
}
