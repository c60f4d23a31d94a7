using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Tessera.Indexing.Items;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Items;

/// <summary>
/// Items read straight from Postgres (a Supabase database's connection string, or any Postgres) through Npgsql,
/// keyset-paged: <c>SELECT id, image_url, brand FROM schema.table WHERE id &gt; $1 ORDER BY id LIMIT n</c>.
/// Ids may be numeric or text (the resume hint is sent untyped, so Postgres reads it as the id column's type).
/// Rows without an image URL are skipped with a warning. Dispose it to close its connection pool.
/// </summary>
public sealed partial class PostgresItemSource : IItemSource, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SupabaseTableOptions _table;
    private readonly ILogger _logger;
    private readonly string _firstPage;
    private readonly string _nextPage;

    /// <summary>Creates a source over <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">A Postgres connection string (never logged).</param>
    /// <param name="table">The table, its columns and the page size (defaults: <c>public.product_images</c>, <c>id</c>, <c>image_url</c>, <c>brand</c>, 1000).</param>
    /// <param name="logger">Where skipped rows are reported; <see langword="null"/> for nowhere.</param>
    public PostgresItemSource(string connectionString, SupabaseTableOptions? table = null, ILogger<PostgresItemSource>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _table = table ?? new SupabaseTableOptions();
        var validation = new SupabaseOptionsValidator().Validate(null, new SupabaseOptions { Url = "http://unused", Key = "unused", Table = _table });
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(table));
        }

        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _dataSource = NpgsqlDataSource.Create(connectionString);

        // Qualified with the alias t: ORDER BY a bare name would pick the id::text output column and sort as text.
        var id = "t." + Quote(_table.IdColumn);
        var brand = string.IsNullOrEmpty(_table.BrandColumn) ? "NULL::text" : "t." + Quote(_table.BrandColumn) + "::text";
        var select = $"SELECT {id}::text AS item_id, t.{Quote(_table.ImageUrlColumn)}::text AS item_image, {brand} AS item_brand FROM {Quote(_table.Schema)}.{Quote(_table.Name)} AS t";
        var order = $" ORDER BY {id} LIMIT $1";
        _firstPage = select + order;
        _nextPage = select + $" WHERE {id} > $2" + order;
    }

    /// <inheritdoc />
    public string Description => $"postgres-table:{_table.Schema}.{_table.Name}";

    /// <inheritdoc />
    public async IAsyncEnumerable<ImageItem> ReadAsync(string? afterId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var last = afterId;
        while (true)
        {
            var page = new List<ImageItem>(Math.Min(_table.PageSize, 4096));
            var count = 0;
            await using (var command = _dataSource.CreateCommand(last is null ? _firstPage : _nextPage))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = (long)_table.PageSize, NpgsqlDbType = NpgsqlDbType.Bigint });
                if (last is not null)
                {
                    // Untyped: Postgres infers the id column's type, so "42" compares as a number and "b-7" as text.
                    command.Parameters.Add(new NpgsqlParameter { Value = last, NpgsqlDbType = NpgsqlDbType.Unknown });
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    count++;
                    var id = reader.GetString(0);
                    last = id;
                    var url = reader.IsDBNull(1) ? null : reader.GetString(1);
                    if (string.IsNullOrWhiteSpace(url))
                    {
                        // Recorded as a failed item by a build (like a bad manifest row), not lost.
                        LogNoImage(_logger, id, _table.Name);
                        page.Add(InvalidItems.Create(_table.Name, id, "no image URL"));
                        continue;
                    }

                    page.Add(new ImageItem(id, url, reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
            }

            foreach (var item in page)
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

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Item {Id} of {Table} has no image URL; recorded as an invalid item")]
    private static partial void LogNoImage(ILogger logger, string id, string table);
}
