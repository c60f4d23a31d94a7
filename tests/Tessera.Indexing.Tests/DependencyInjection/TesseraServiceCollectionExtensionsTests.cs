using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Faiss;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Quantization;

namespace Tessera.Indexing.Tests.DependencyInjection;

public sealed class TesseraServiceCollectionExtensionsTests
{
    [Fact]
    public void AddTesseraIndexing_registers_the_managed_index_builder_by_default()
    {
        var services = new ServiceCollection();
        var builder = services.AddTesseraIndexing();

        using var provider = services.BuildServiceProvider();

        Assert.Same(services, builder.Services);
        Assert.IsType<ManagedIvfIndexBuilder>(provider.GetRequiredService<IVectorIndexBuilder>());
        Assert.Same(provider.GetRequiredService<ManagedIvfIndexBuilder>(), provider.GetRequiredService<IVectorIndexBuilder>());
    }

    [Fact]
    public void Both_builders_can_be_chosen_by_key()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing();

        using var provider = services.BuildServiceProvider();

        Assert.IsType<FaissIndexBuilder>(provider.GetRequiredKeyedService<IVectorIndexBuilder>(VectorIndexBuilderKeys.Faiss));
        Assert.IsType<ManagedIvfIndexBuilder>(provider.GetRequiredKeyedService<IVectorIndexBuilder>(VectorIndexBuilderKeys.Managed));
    }

    [Fact]
    public void Invalid_managed_builder_options_fail_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing();
        services.Configure<ManagedIvfIndexBuilderOptions>(o => o.MaxDegreeOfParallelism = 0);

        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IVectorIndexBuilder>());
        Assert.Contains(nameof(ManagedIvfIndexBuilderOptions.MaxDegreeOfParallelism), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_application_registration_made_before_AddTesseraIndexing_wins()
    {
        var services = new ServiceCollection();
        var mine = new CustomBuilder();
        services.AddSingleton<IVectorIndexBuilder>(mine);
        services.AddTesseraIndexing();

        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IVectorIndexBuilder>());
        Assert.Single(services, s => s.ServiceType == typeof(IVectorIndexBuilder) && !s.IsKeyedService);
    }

    private sealed class CustomBuilder : IVectorIndexBuilder
    {
        private readonly FaissIndexBuilder _inner = new();

        public IVectorIndex Create(VectorIndexSpec spec) => _inner.Create(spec);

        public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default) => _inner.Train(index, vectors, cancellationToken);

        public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default) => _inner.Add(index, vectors, ids, cancellationToken);

        public IVectorIndex Load(string path) => _inner.Load(path);

        public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => _inner.Deserialize(data);
    }
}
