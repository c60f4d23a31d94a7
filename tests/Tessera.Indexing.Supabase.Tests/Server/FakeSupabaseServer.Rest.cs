using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Tessera.Indexing.Supabase.Tests.Server;

public sealed partial class FakeSupabaseServer
{
    /// <summary>
    /// PostgREST reads: <c>GET /rest/v1/{table}?select=a,b&amp;col=gt.v&amp;order=col.asc&amp;limit=n</c>, with PostgREST's
    /// error bodies (<c>{"code","details","hint","message"}</c>) and statuses. Numbers compare as numbers, text ordinally.
    /// </summary>
    private async Task HandleRestAsync(HttpContext context, RecordedRequest recorded)
    {
        var (role, jwtError) = Role(recorded);
        if (role is null && recorded.Header("authorization") is not null)
        {
            await WriteJsonAsync(context, 401, new { code = "PGRST301", details = (string?)null, hint = (string?)null, message = jwtError }, recorded);
            return;
        }

        if (recorded.Method != "GET")
        {
            await WriteJsonAsync(context, 405, new { code = "PGRST117", details = (string?)null, hint = (string?)null, message = "Unsupported HTTP method" }, recorded);
            return;
        }

        var table = Uri.UnescapeDataString(recorded.Path["/rest/v1/".Length..]);
        if (!_tables.TryGetValue(table, out var rows))
        {
            await WriteJsonAsync(context, 404, new { code = "PGRST205", details = (string?)null, hint = (string?)null, message = $"Could not find the table 'public.{table}' in the schema cache" }, recorded);
            return;
        }

        var columns = rows.SelectMany(r => r.Keys).ToHashSet(StringComparer.Ordinal);
        var query = context.Request.Query;
        var select = query.TryGetValue("select", out var s) ? s.ToString().Split(',') : columns.ToArray();
        foreach (var column in select)
        {
            // A table without rows has no columns to check against here (real PostgREST knows its schema).
            if (rows.Count > 0 && !columns.Contains(column))
            {
                await WriteJsonAsync(context, 400, new { code = "42703", details = (string?)null, hint = (string?)null, message = $"column {table}.{column} does not exist" }, recorded);
                return;
            }
        }

        IEnumerable<Dictionary<string, object?>> result = rows;
        foreach (var (name, value) in query)
        {
            if (name is "select" or "order" or "limit" or "offset")
            {
                continue;
            }

            if (!columns.Contains(name))
            {
                await WriteJsonAsync(context, 400, new { code = "42703", details = (string?)null, hint = (string?)null, message = $"column {table}.{name} does not exist" }, recorded);
                return;
            }

            var text = value.ToString();
            var dot = text.IndexOf('.');
            var op = dot < 0 ? text : text[..dot];
            var operand = dot < 0 ? string.Empty : text[(dot + 1)..];
            var numeric = rows.Any(r => r.GetValueOrDefault(name) is long);
            if (numeric && !long.TryParse(operand, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                await WriteJsonAsync(context, 400, new { code = "22P02", details = (string?)null, hint = (string?)null, message = $"invalid input syntax for type bigint: \"{operand}\"" }, recorded);
                return;
            }

            Func<int, bool>? test = op switch
            {
                "gt" => c => c > 0,
                "gte" => c => c >= 0,
                "lt" => c => c < 0,
                "lte" => c => c <= 0,
                "eq" => c => c == 0,
                _ => null,
            };
            if (test is null)
            {
                await WriteJsonAsync(context, 400, new { code = "PGRST100", details = $"unexpected \"{op}\" expecting operator", hint = (string?)null, message = $"\"failed to parse filter ({text})\" (line 1, column 1)" }, recorded);
                return;
            }

            var column = name;
            result = result.Where(r => r.GetValueOrDefault(column) is { } v && test(Compare(v, operand)));
        }

        if (query.TryGetValue("order", out var order))
        {
            var parts = order.ToString().Split('.');
            var column = parts[0];
            var ordered = result.OrderBy(r => r.GetValueOrDefault(column), Comparer<object?>.Create(CompareValues));
            result = parts.Length > 1 && parts[1] == "desc" ? ordered.Reverse() : ordered;
        }

        if (query.TryGetValue("offset", out var offset))
        {
            result = result.Skip(int.Parse(offset.ToString(), CultureInfo.InvariantCulture));
        }

        if (query.TryGetValue("limit", out var limit))
        {
            result = result.Take(int.Parse(limit.ToString(), CultureInfo.InvariantCulture));
        }

        var page = result.Select(r => select.ToDictionary(c => c, c => r.GetValueOrDefault(c), StringComparer.Ordinal)).ToList();
        context.Response.Headers["Content-Range"] = page.Count == 0 ? "*/*" : $"0-{page.Count - 1}/*";
        await WriteJsonAsync(context, 200, page, recorded);
    }

    private static int Compare(object value, string operand) => value switch
    {
        long number => number.CompareTo(long.Parse(operand, CultureInfo.InvariantCulture)),
        string text => string.CompareOrdinal(text, operand),
        _ => throw new InvalidOperationException($"unsupported value {value}"),
    };

    private static int CompareValues(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        (long x, long y) => x.CompareTo(y),
        _ => string.CompareOrdinal(a.ToString(), b.ToString()),
    };
}
