using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Storage;

namespace Tessera.Indexing.Supabase.Items;

/// <summary>
/// A typed <see cref="HttpClient"/> for PostgREST under <c>/rest/v1</c>: keyset-paged reads of one table.
/// Sends <c>apikey</c> always and <c>Authorization: Bearer</c> only for JWT keys; retried like Storage calls.
/// </summary>
internal sealed class SupabaseRestClient
{
    private readonly HttpClient _http;
    private readonly SupabaseOptions _options;

    public SupabaseRestClient(HttpClient httpClient, IOptions<SupabaseOptions> options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        _options = options.Value;
        _http.BaseAddress ??= SupabaseStorageClient.BaseAddress(_options.Url!);
    }

    /// <summary>
    /// <c>GET /rest/v1/{table}?select=…&amp;{id}=gt.{after}&amp;order={id}.asc&amp;limit={limit}</c>: the next page of rows
    /// after <paramref name="afterId"/> (all from the start when <see langword="null"/>), as a JSON array.
    /// </summary>
    public async Task<JsonDocument> ReadPageAsync(SupabaseTableOptions table, string? afterId, int limit, CancellationToken cancellationToken)
    {
        var columns = new List<string> { table.IdColumn, table.ImageUrlColumn };
        if (!string.IsNullOrEmpty(table.BrandColumn))
        {
            columns.Add(table.BrandColumn);
        }

        var query = new StringBuilder();
        query.Append("rest/v1/").Append(Uri.EscapeDataString(table.Name));
        query.Append("?select=").Append(string.Join(',', columns));
        if (afterId is not null)
        {
            query.Append('&').Append(table.IdColumn).Append("=gt.").Append(Uri.EscapeDataString(afterId));
        }

        query.Append("&order=").Append(table.IdColumn).Append(".asc");
        query.Append("&limit=").Append(limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(query.ToString(), UriKind.Relative));
        var key = _options.Key ?? throw new InvalidOperationException("Supabase:Key is not set.");
        request.Headers.TryAddWithoutValidation("apikey", key);
        if (SupabaseKey.IsJwt(key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.Equals(table.Schema, "public", StringComparison.Ordinal))
        {
            request.Headers.TryAddWithoutValidation("Accept-Profile", table.Schema);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SupabaseTransientFailures.IsTransientException(e, cancellationToken))
        {
            throw new SupabaseRestException(0, null, SupabaseKey.Redact($"Reading {table.Name} through PostgREST failed after the retries: {e.Message}", key), e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Error((int)response.StatusCode, body, table.Name, key);
            }

            try
            {
                var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    document.Dispose();
                    throw new SupabaseRestException((int)response.StatusCode, null, $"PostgREST answered a read of {table.Name} with something other than a JSON array.");
                }

                return document;
            }
            catch (JsonException e)
            {
                throw new SupabaseRestException((int)response.StatusCode, null, $"PostgREST answered a read of {table.Name} with invalid JSON.", e);
            }
        }
    }

    private static SupabaseRestException Error(int status, string body, string table, string key)
    {
        string? code = null;
        string? message = null;
        string? hint = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                code = Read(document.RootElement, "code");
                message = Read(document.RootElement, "message");
                hint = Read(document.RootElement, "hint");
            }
        }
        catch (JsonException)
        {
            message = body.Length > 300 ? body[..300] : body;
        }

        var text = $"PostgREST refused to read {table}: HTTP {status}{(code is null ? string.Empty : $" {code}")}{(message is null ? string.Empty : $": {message}")}{(hint is null ? string.Empty : $" (hint: {hint})")}";
        if (status is 401 or 403)
        {
            text += ". Check Supabase:Key and the table's row-level security policies.";
        }

        return new SupabaseRestException(status, code, SupabaseKey.Redact(text, key));
    }

    private static string? Read(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
