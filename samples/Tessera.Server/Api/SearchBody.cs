namespace Tessera.Server.Api;

/// <summary>The body of <c>POST /api/faiss/search</c> (snake_case JSON; unknown members are rejected).</summary>
public sealed class SearchBody : QueryBody
{
    /// <summary>The viewport.</summary>
    public string? ViewportId { get; set; }

    /// <summary>Several queries at once (instead of the top-level query); the answer is <c>{"viewport_id", "searches": [...]}</c>.</summary>
    public QueryBody[]? Queries { get; set; }

    /// <summary>Neighbours of a top-k search.</summary>
    public int? K { get; set; }

    /// <summary>Cosine ≥ T or distance ≤ T.</summary>
    public float? Threshold { get; set; }

    /// <summary>The top P percent.</summary>
    public double? TopPercent { get; set; }

    /// <summary><c>cosine</c> or <c>l2</c>.</summary>
    public string? Metric { get; set; }

    /// <summary>IVF lists to visit.</summary>
    public int? Nprobe { get; set; }

    /// <summary>Most results of a threshold or percent search.</summary>
    public int? Limit { get; set; }

    /// <summary><c>auto</c>, <c>exact_scan</c>, <c>faiss_top_k</c>, <c>faiss_range_candidates</c>.</summary>
    public string? Strategy { get; set; }

    /// <summary>Report the score distribution.</summary>
    public bool? Distribution { get; set; }

    /// <summary><c>json</c> (default), <c>geojson</c> or <c>csv</c> (single queries only).</summary>
    public string? Format { get; set; }

    /// <summary>GeoJSON geometry: <c>point</c> or <c>square</c>.</summary>
    public string? Geometry { get; set; }
}
