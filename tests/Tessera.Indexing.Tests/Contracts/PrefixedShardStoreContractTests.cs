using Tessera.Indexing.Storage;
using Tessera.Indexing.Testing;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Tests.Contracts;

/// <summary>The shard store contract for a partition's view of a local store; a sibling partition's objects must not show.</summary>
public sealed class PrefixedShardStoreContractTests : ShardStoreContract
{
    private readonly TempDirectory _directory = new("tessera-store");

    protected override async Task<IShardStore> CreateStoreAsync()
    {
        var root = new LocalShardStore(_directory.Path);
        await root.PutAsync("part-0-of-2/progress.json", "{}"u8.ToArray());
        await root.PutAsync("part-1-of-2x", new byte[] { 1 });
        return new PrefixedShardStore(root, "part-1-of-2");
    }

    public override Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
