namespace Tessera.Indexing.Storage;

/// <summary>Opens <see cref="LocalShardStore"/>s from plain paths (absolute or relative) and <c>file://</c> URIs.</summary>
public sealed class LocalShardStoreFactory : IShardStoreFactory
{
    /// <inheritdoc />
    public bool CanOpen(string location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return false;
        }

        if (location.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Any other scheme ("supabase://", "s3://", "https://") belongs to another factory.
        return !location.Contains("://", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public IShardStore Open(string location)
    {
        if (!CanOpen(location))
        {
            throw new ArgumentException($"'{location}' is not a local path or file:// URI.", nameof(location));
        }

        if (location.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !uri.IsFile)
            {
                throw new ArgumentException($"'{location}' is not a valid file:// URI.", nameof(location));
            }

            return new LocalShardStore(uri.LocalPath);
        }

        return new LocalShardStore(location);
    }
}
