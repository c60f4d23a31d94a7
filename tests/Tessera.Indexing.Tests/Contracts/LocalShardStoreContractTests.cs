using Tessera.Indexing.Storage;
using Tessera.Indexing.Testing;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Tests.Contracts;

/// <summary>The shard store contract for a local folder.</summary>
public sealed class LocalShardStoreContractTests : ShardStoreContract
{
    private readonly TempDirectory _directory = new("tessera-store");

    protected override Task<IShardStore> CreateStoreAsync() => Task.FromResult<IShardStore>(new LocalShardStore(_directory.File("store")));

    public override Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
