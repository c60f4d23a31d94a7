using System.Text.RegularExpressions;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Tests.Sharding;

/// <summary>Passes everything to an inner store and counts the uploads (requests and bytes) per object kind and per shard.</summary>
internal sealed partial class CountingShardStore(IShardStore inner) : IShardStore
{
    private readonly Lock _gate = new();

    public string Location => inner.Location;

    /// <summary>Kind → (PUT requests, bytes).</summary>
    public SortedDictionary<string, (int Requests, long Bytes)> Uploads { get; } = new(StringComparer.Ordinal);

    /// <summary>Shard stem (<c>histogram_color_shard_00001</c>) → bytes of its index and batch-vector objects.</summary>
    public SortedDictionary<string, long> VectorBytesByShard { get; } = new(StringComparer.Ordinal);

    public int Deletes { get; private set; }

    public long TotalBytes => Uploads.Values.Sum(u => u.Bytes);

    public static string KindOf(string name)
    {
        if (name.EndsWith("progress.json", StringComparison.Ordinal))
        {
            return "progress.json";
        }

        if (name.EndsWith("_manifest.json", StringComparison.Ordinal))
        {
            return "manifests";
        }

        if (name.EndsWith("_id_map.json", StringComparison.Ordinal))
        {
            return "whole id maps";
        }

        if (name.Contains(".batch_", StringComparison.Ordinal))
        {
            return name.EndsWith(".f32", StringComparison.Ordinal) ? "batch vectors (.f32)" : "batch ids (.batch_*.ids.json)";
        }

        return name.EndsWith(".index", StringComparison.Ordinal) ? "shard index objects (.index)" : "id-map segments (.ids.json)";
    }

    public async Task<ShardObjectInfo> PutAsync(string name, ReadOnlyMemory<byte> content, ShardPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        var info = await inner.PutAsync(name, content, options, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var kind = KindOf(name);
            var (requests, bytes) = Uploads.GetValueOrDefault(kind);
            Uploads[kind] = (requests + 1, bytes + content.Length);
            if (kind.StartsWith("shard index", StringComparison.Ordinal) || kind.StartsWith("batch vectors", StringComparison.Ordinal))
            {
                var stem = ShardStem().Match(name).Value;
                VectorBytesByShard[stem] = VectorBytesByShard.GetValueOrDefault(stem) + content.Length;
            }
        }

        return info;
    }

    public Task<ShardBlob?> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);

    public Task<ShardObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default) => inner.GetInfoAsync(name, cancellationToken);

    public IAsyncEnumerable<ShardObjectInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Deletes++;
        }

        return inner.DeleteAsync(name, cancellationToken);
    }

    [GeneratedRegex(@"^.*_shard_\d{5}")]
    private static partial Regex ShardStem();
}
