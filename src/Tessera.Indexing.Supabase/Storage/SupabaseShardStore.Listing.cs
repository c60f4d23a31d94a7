using System.Runtime.CompilerServices;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

public partial class SupabaseShardStore
{
    private async IAsyncEnumerable<(string Path, long Size, DateTimeOffset? UpdatedAt, string? ContentType)> WalkAsync(
        string folder, string search, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entries = new List<StorageListEntry>();
        var seen = new HashSet<(string, bool)>();
        var pageSize = _options.ListPageSize;
        for (var offset = 0; ; offset += pageSize)
        {
            var page = await _client.ListPageAsync(Bucket, folder, search, pageSize, offset, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page)
            {
                if (seen.Add((entry.Name, entry.IsFolder)))
                {
                    entries.Add(entry);
                }
            }

            if (page.Count < pageSize)
            {
                break;
            }
        }

        // Ordinal order of full names: a folder's contents all start with "folder/", so it sorts as that.
        entries.Sort(static (a, b) => string.CompareOrdinal(SortKey(a), SortKey(b)));
        foreach (var entry in entries)
        {
            var path = SupabaseStoragePaths.Join(folder, entry.Name);
            if (entry.IsFolder)
            {
                await foreach (var inner in WalkAsync(path, string.Empty, cancellationToken).ConfigureAwait(false))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return (path, entry.Size, entry.UpdatedAt, entry.ContentType);
            }
        }
    }

    private static string SortKey(StorageListEntry entry) => entry.IsFolder ? entry.Name + "/" : entry.Name;

    /// <summary>An object's description; <see langword="null"/> when it is absent from a bucket that exists.</summary>
    private async Task<StorageObjectDescription?> DescribeAsync(string path, CancellationToken cancellationToken)
    {
        StorageObjectDescription? info;
        try
        {
            info = await _client.GetInfoAsync(Bucket, path, cancellationToken).ConfigureAwait(false);
        }
        catch (SupabaseStorageException e) when (e.IsBucketNotFound)
        {
            _bucketKnown = false;
            info = null;
        }

        if (info is null)
        {
            await ResolveBucketAsync(forWrite: false, cancellationToken).ConfigureAwait(false);
        }

        return info;
    }
}
