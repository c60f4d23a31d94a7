using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Tests.Support;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Supabase.Tests.Contracts;

/// <summary>
/// The shard store contract for Supabase Storage (bucket <c>faiss</c>, prefix <c>runs/test</c>) against the fake
/// server, wired through <c>AddSupabase</c>; objects over 100 KiB take the resumable (TUS) path.
/// </summary>
public sealed class SupabaseShardStoreContractTests : ShardStoreContract
{
    private SupabaseTestContext? _context;

    protected override IEnumerable<string> Secrets => _context is null ? [] : [_context.Key, _context.Server.Url.Host + ":" + _context.Server.Url.Port];

    protected override async Task<IShardStore> CreateStoreAsync()
    {
        _context = await SupabaseTestContext.StartAsync();
        _context.Server.CreateBucket("faiss"); // a missing bucket is StoreNotFound, not an empty store
        return _context.Store;
    }

    public override async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }
}
