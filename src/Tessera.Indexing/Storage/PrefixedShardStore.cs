using System.Runtime.CompilerServices;

namespace Tessera.Indexing.Storage;

/// <summary>
/// A view of another store under a name prefix (for example a partition's <c>part-2-of-8/</c>): names
/// given to it are stored as <c>{prefix}{name}</c>, and listings return them without the prefix.
/// </summary>
public sealed class PrefixedShardStore : IShardStore
{
    private readonly IShardStore _inner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The whole store.</param>
    /// <param name="prefix">The prefix; a trailing <c>/</c> is added when missing.</param>
    public PrefixedShardStore(IShardStore inner, string prefix)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix.StartsWith('/') || prefix.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{prefix}' is not a valid relative prefix.", nameof(prefix));
        }

        _inner = inner;
        Prefix = prefix.EndsWith('/') ? prefix : prefix + "/";
    }

    /// <summary>The prefix, ending in <c>/</c>.</summary>
    public string Prefix { get; }

    /// <summary>The whole store.</summary>
    public IShardStore Inner => _inner;

    /// <inheritdoc />
    public string Location => _inner.Location.TrimEnd('/') + "/" + Prefix;

    /// <inheritdoc />
    public async Task<ShardObjectInfo> PutAsync(string name, ReadOnlyMemory<byte> content, ShardPutOptions? options = null, CancellationToken cancellationToken = default) =>
        Strip(await _inner.PutAsync(Prefix + name, content, options, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<ShardBlob?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var blob = await _inner.GetAsync(Prefix + name, cancellationToken).ConfigureAwait(false);
        return blob is null ? null : blob with { Info = Strip(blob.Info) };
    }

    /// <inheritdoc />
    public async Task<ShardObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        var info = await _inner.GetInfoAsync(Prefix + name, cancellationToken).ConfigureAwait(false);
        return info is null ? null : Strip(info);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ShardObjectInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var info in _inner.ListAsync(Prefix + prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return Strip(info);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        _inner.DeleteAsync(Prefix + name, cancellationToken);

    private ShardObjectInfo Strip(ShardObjectInfo info) =>
        info.Name.StartsWith(Prefix, StringComparison.Ordinal) ? info with { Name = info.Name[Prefix.Length..] } : info;
}
