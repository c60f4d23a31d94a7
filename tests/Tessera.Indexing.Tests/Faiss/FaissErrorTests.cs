using Tessera.Indexing.Faiss;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Faiss;

public sealed class FaissErrorTests
{
    private const int D = 8;

    [Fact]
    public void An_unknown_factory_string_throws_with_faiss_message()
    {
        var ex = Assert.Throws<FaissException>(() => FaissIndex.Create(D, "NotAnIndex42"));
        Assert.Equal("index_factory", ex.Operation);
        Assert.Contains("NotAnIndex42", ex.NativeMessage);
    }

    [Fact]
    public void Adding_before_training_throws_instead_of_crashing()
    {
        using var index = FaissIndex.Create(D, "IVF4,Flat");
        var ex = Assert.Throws<FaissException>(() => index.Add(new float[D * 3]));
        Assert.Contains("not trained", ex.Message);
    }

    [Fact]
    public void Too_few_training_points_throws_with_faiss_message()
    {
        using var index = FaissIndex.Create(D, "IVF64,Flat");
        var ex = Assert.Throws<FaissException>(() => index.Train(TestData.ClusteredVectors(10, D)));
        Assert.Contains("training points", ex.NativeMessage);
    }

    [Fact]
    public void Vectors_of_the_wrong_dimension_are_refused()
    {
        using var index = FaissIndex.Create(D, "Flat");
        var ex = Assert.Throws<ArgumentException>(() => index.Add(new float[(D * 2) + 3]));
        Assert.Contains("dimension is 8", ex.Message);
        Assert.Throws<ArgumentException>(() => index.Search(new float[D - 1], 3));
    }

    [Fact]
    public void A_truncated_index_file_throws_instead_of_crashing()
    {
        using var dir = new TempDirectory();
        using var index = FaissIndex.Create(D, "Flat");
        index.Add(TestData.ClusteredVectors(100, D));
        var bytes = index.Serialize();
        var path = dir.File("truncated.index");
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        Assert.Throws<FaissException>(() => FaissIndex.Load(path));
        Assert.Throws<FaissException>(() => FaissIndex.Deserialize(bytes.AsSpan(0, 10)));
    }

    [Fact]
    public void Garbage_bytes_and_empty_buffers_are_not_an_index()
    {
        var garbage = new byte[4096];
        new Random(1).NextBytes(garbage);
        Assert.Throws<FaissException>(() => FaissIndex.Deserialize(garbage));
        Assert.Throws<FaissException>(() => FaissIndex.Deserialize(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void A_missing_index_file_throws_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => FaissIndex.Load("/nonexistent/x.index"));
    }

    [Fact]
    public void Ivf_calls_on_a_flat_index_are_reported_as_not_supported()
    {
        using var index = FaissIndex.Create(D, "Flat");
        Assert.Null(index.TryGetIvfInfo());
        var ex = Assert.Throws<FaissException>(() => index.GetIvfInfo());
        Assert.Equal(FaissErrorKind.NotSupported, ex.Kind);
    }

    [Fact]
    public void A_disposed_index_throws_object_disposed()
    {
        var index = FaissIndex.Create(D, "Flat");
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Add(new float[D]));
    }
}
