namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>A request the fake server saw, with the headers the tests look at.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    public int Status { get; set; }

    public FaultKind? Fault { get; set; }

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
