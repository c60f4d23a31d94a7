using Tessera.Indexing.Gdal;

namespace Tessera.Indexing.Gdal.Tests;

public sealed class GdalRuntimeCacheTests
{
    [Fact]
    public void The_block_cache_is_bounded_when_GDAL_CACHEMAX_is_not_set_and_can_be_changed()
    {
        var before = GdalRuntime.BlockCacheBytes;
        try
        {
            if (Environment.GetEnvironmentVariable("GDAL_CACHEMAX") is null)
            {
                Assert.True(before <= 256L << 20, $"cache is {before} bytes");
            }

            GdalRuntime.BlockCacheBytes = 64L << 20;
            Assert.Equal(64L << 20, GdalRuntime.BlockCacheBytes);
            Assert.Throws<ArgumentOutOfRangeException>(() => GdalRuntime.BlockCacheBytes = 10);
        }
        finally
        {
            GdalRuntime.BlockCacheBytes = before;
        }
    }
}
