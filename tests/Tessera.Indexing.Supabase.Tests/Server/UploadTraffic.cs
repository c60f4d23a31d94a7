using System.Globalization;
using System.Text;

namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>
/// Request-body bytes the fake server received, by request kind and by object category (what the client
/// uploaded, retries and dropped bodies included: every byte read off the connection counts). Made from
/// the recorded requests, so <see cref="FakeSupabaseServer.ClearRequests"/> resets it.
/// </summary>
public sealed class UploadTraffic
{
    private readonly Dictionary<(RequestKind Kind, ObjectCategory Category), (long Requests, long Bytes)> _cells = [];

    private UploadTraffic()
    {
    }

    /// <summary>Every body byte received.</summary>
    public long TotalBytes => _cells.Values.Sum(c => c.Bytes);

    /// <summary>Body bytes of uploads (single-request and TUS), the bytes a Supabase project bills as ingress.</summary>
    public long UploadedBytes => Bytes(RequestKind.RestUpload) + Bytes(RequestKind.TusCreate) + Bytes(RequestKind.TusPatch);

    /// <summary>The category of an object name in the sharded layout.</summary>
    public static ObjectCategory Categorize(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return ObjectCategory.Other;
        }

        var name = path[(path.LastIndexOf('/') + 1)..];
        return name switch
        {
            _ when name.EndsWith(".index", StringComparison.Ordinal) || name.EndsWith(".f32", StringComparison.Ordinal) => ObjectCategory.Shard,
            _ when name.EndsWith(".ids.json", StringComparison.Ordinal) || name.EndsWith("_id_map.json", StringComparison.Ordinal) => ObjectCategory.IdMap,
            _ when name.EndsWith("_manifest.json", StringComparison.Ordinal) => ObjectCategory.Manifest,
            "progress.json" => ObjectCategory.Progress,
            _ => ObjectCategory.Other,
        };
    }

    /// <summary>The kind of a request, from its method and path.</summary>
    public static RequestKind Classify(string method, string path)
    {
        const string storage = "/storage/v1/";
        if (!path.StartsWith(storage, StringComparison.Ordinal))
        {
            return RequestKind.Other;
        }

        var route = path[storage.Length..];
        if (route.StartsWith("upload/resumable", StringComparison.Ordinal))
        {
            var hasId = route.Length > "upload/resumable/".Length;
            return method switch
            {
                "POST" when !hasId => RequestKind.TusCreate,
                "PATCH" when hasId => RequestKind.TusPatch,
                _ => RequestKind.Other,
            };
        }

        var isObjectWrite = route.StartsWith("object/", StringComparison.Ordinal)
            && !route.StartsWith("object/list/", StringComparison.Ordinal)
            && !route.StartsWith("object/info/", StringComparison.Ordinal)
            && !route.StartsWith("object/copy", StringComparison.Ordinal)
            && !route.StartsWith("object/move", StringComparison.Ordinal)
            && !route.StartsWith("object/sign", StringComparison.Ordinal);
        return isObjectWrite && method is "POST" or "PUT" ? RequestKind.RestUpload : RequestKind.Other;
    }

    internal static UploadTraffic From(IEnumerable<RecordedRequest> requests)
    {
        var traffic = new UploadTraffic();
        foreach (var r in requests)
        {
            var key = (Classify(r.Method, r.Path), Categorize(r.ObjectPath));
            var cell = traffic._cells.GetValueOrDefault(key);
            traffic._cells[key] = (cell.Requests + 1, cell.Bytes + r.BodyBytesReceived);
        }

        return traffic;
    }

    /// <summary>Body bytes of one request kind.</summary>
    public long Bytes(RequestKind kind) => _cells.Where(c => c.Key.Kind == kind).Sum(c => c.Value.Bytes);

    /// <summary>Body bytes uploaded for one object category (uploads only: single-request and TUS).</summary>
    public long Bytes(ObjectCategory category) => _cells.Where(c => c.Key.Category == category && c.Key.Kind != RequestKind.Other).Sum(c => c.Value.Bytes);

    /// <summary>Body bytes of one request kind for one object category.</summary>
    public long Bytes(RequestKind kind, ObjectCategory category) => _cells.GetValueOrDefault((kind, category)).Bytes;

    /// <summary>How many requests of one kind there were.</summary>
    public long Requests(RequestKind kind) => _cells.Where(c => c.Key.Kind == kind).Sum(c => c.Value.Requests);

    /// <summary>How many requests of one kind there were for one object category.</summary>
    public long Requests(RequestKind kind, ObjectCategory category) => _cells.GetValueOrDefault((kind, category)).Requests;

    /// <summary>A table of requests and bytes per kind and category (the non-empty cells), with totals.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"kind",-11} {"object",-9} {"requests",9} {"bytes",15}");
        foreach (var ((kind, category), (requests, bytes)) in _cells.Where(c => c.Value.Bytes > 0 || c.Key.Kind != RequestKind.Other).OrderBy(c => c.Key.Kind).ThenBy(c => c.Key.Category))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{kind,-11} {category,-9} {requests,9:N0} {bytes,15:N0}");
        }

        foreach (var category in Enum.GetValues<ObjectCategory>())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{"uploads",-11} {category,-9} {"",9} {Bytes(category),15:N0}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{"uploads",-11} {"all",-9} {"",9} {UploadedBytes,15:N0}");
        return text.ToString();
    }
}
