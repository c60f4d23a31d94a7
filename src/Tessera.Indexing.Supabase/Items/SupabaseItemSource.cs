using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Items;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Items;

/// <summary>
/// Items from a Supabase table (default <c>product_images</c> with <c>id</c>, <c>image_url</c>, <c>brand</c>) read
/// through PostgREST, keyset-paged: <c>?select=id,image_url,brand&amp;id=gt.{last}&amp;order=id.asc&amp;limit=1000</c>.
/// Ids may be numeric or text; items come in ascending id order, which the resume hint follows. Rows without an
/// image URL are skipped with a warning. The image URLs are handed on as they are, for the decoder to fetch.
/// </summary>
public sealed partial class SupabaseItemSource : IItemSource
{
    private readonly SupabaseRestClient _client;
    private readonly SupabaseTableOptions _table;
    private readonly ILogger _logger;

    internal SupabaseItemSource(SupabaseRestClient client, SupabaseTableOptions table, ILogger? logger = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Description => $"supabase-table:{_table.Schema}.{_table.Name}";

    /// <inheritdoc />
    public async IAsyncEnumerable<ImageItem> ReadAsync(string? afterId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var last = afterId;
        while (true)
        {
            int count;
            var items = new List<ImageItem>(_table.PageSize);
            using (var page = await _client.ReadPageAsync(_table, last, _table.PageSize, cancellationToken).ConfigureAwait(false))
            {
                count = page.RootElement.GetArrayLength();
                foreach (var row in page.RootElement.EnumerateArray())
                {
                    var id = ReadId(row);
                    last = id;
                    var url = ReadText(row, _table.ImageUrlColumn);
                    if (string.IsNullOrWhiteSpace(url))
                    {
                        // Recorded as a failed item by a build (like a bad manifest row), not lost.
                        LogNoImage(_logger, id, _table.Name);
                        items.Add(InvalidItems.Create(_table.Name, id, "no image URL"));
                        continue;
                    }

                    var brand = string.IsNullOrEmpty(_table.BrandColumn) ? null : ReadText(row, _table.BrandColumn);
                    items.Add(new ImageItem(id, url, brand));
                }
            }

            foreach (var item in items)
            {
                // The page is already read: without this a cancelled enumeration would still yield the rest of it.
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
            }

            if (count < _table.PageSize)
            {
                yield break;
            }
        }
    }

    private string ReadId(JsonElement row)
    {
        if (!row.TryGetProperty(_table.IdColumn, out var id))
        {
            throw new SupabaseRestException(200, null, $"PostgREST rows of {_table.Name} lack the id column '{_table.IdColumn}'.");
        }

        return id.ValueKind switch
        {
            JsonValueKind.String => id.GetString()!,
            JsonValueKind.Number => id.GetRawText(),
            _ => throw new SupabaseRestException(200, null, $"A row of {_table.Name} has a {id.ValueKind} id; ids must be numbers or text."),
        };
    }

    private static string? ReadText(JsonElement row, string column) =>
        row.TryGetProperty(column, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            }
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Item {Id} of {Table} has no image URL; recorded as an invalid item")]
    private static partial void LogNoImage(ILogger logger, string id, string table);
}
