using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Tests.Sharding;

/// <summary>
/// A store that "crashes" (throws <see cref="SimulatedCrashException"/>) at a chosen write, leaving
/// the inner store exactly as a killed process would: everything before that write done, nothing after.
/// </summary>
internal sealed class CrashingShardStore(IShardStore inner, Func<string, int, bool> crashOnPut) : IShardStore
{
    private int _puts;

    public string Location => inner.Location;

    public List<string> Puts { get; } = [];

    public Task<ShardObjectInfo> PutAsync(string name, ReadOnlyMemory<byte> content, ShardPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _puts);
        if (crashOnPut(name, n))
        {
            throw new SimulatedCrashException($"simulated crash before writing {name} (write #{n})");
        }

        lock (Puts)
        {
            Puts.Add(name);
        }

        return inner.PutAsync(name, content, options, cancellationToken);
    }

    public Task<ShardBlob?> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);

    public Task<ShardObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default) => inner.GetInfoAsync(name, cancellationToken);

    public IAsyncEnumerable<ShardObjectInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);

    public sealed class SimulatedCrashException(string message) : Exception(message);
}
