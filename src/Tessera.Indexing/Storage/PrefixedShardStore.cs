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
    public async Task<ShardObjectInfo> PutAsync(string name, ReadOnlyMemory<byte> content, ShardPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return Strip(await _inner.PutAsync(Full(name), content, options, cancellationToken).ConfigureAwait(false));
        }
        catch (ShardStoreException e) when (IsPrefixed(e.ObjectName))
        {
            throw Unprefixed(e);
        }
    }

    /// <inheritdoc />
    public async Task<ShardBlob?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var blob = await _inner.GetAsync(Full(name), cancellationToken).ConfigureAwait(false);
            return blob is null ? null : blob with { Info = Strip(blob.Info) };
        }
        catch (ShardStoreException e) when (IsPrefixed(e.ObjectName))
        {
            throw Unprefixed(e);
        }
    }

    /// <inheritdoc />
    public async Task<ShardObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var info = await _inner.GetInfoAsync(Full(name), cancellationToken).ConfigureAwait(false);
            return info is null ? null : Strip(info);
        }
        catch (ShardStoreException e) when (IsPrefixed(e.ObjectName))
        {
            throw Unprefixed(e);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ShardObjectInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var info in _inner.ListAsync(Full(prefix), cancellationToken).ConfigureAwait(false))
        {
            yield return Strip(info);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inner.DeleteAsync(Full(name), cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e) when (IsPrefixed(e.ObjectName))
        {
            throw Unprefixed(e);
        }
    }

    /// <summary>The inner store's name for <paramref name="name"/>; <see langword="null"/> is refused here, not turned into the prefix.</summary>
    private string Full(string name, [CallerArgumentExpression(nameof(name))] string? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        return Prefix + name;
    }

    private bool IsPrefixed(string? objectName) => objectName is not null && objectName.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The same failure, naming the object as this view's callers know it.</summary>
    private ShardStoreException Unprefixed(ShardStoreException e) => new(e.Kind, e.ObjectName![Prefix.Length..], e.Message, e);

    private ShardObjectInfo Strip(ShardObjectInfo info) =>
        info.Name.StartsWith(Prefix, StringComparison.Ordinal) ? info with { Name = info.Name[Prefix.Length..] } : info;
}
