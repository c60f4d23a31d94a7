namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>A request the fake server saw, with the headers the tests look at.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    private long _bodyBytes;

    public int Status { get; set; }

    public FaultKind? Fault { get; set; }

    /// <summary>The object the request was about (bucket-relative path), when the server knew it.</summary>
    public string? ObjectPath { get; internal set; }

    /// <summary>How many body bytes the server read off the connection (all of them, or what arrived before a drop).</summary>
    public long BodyBytesReceived => Interlocked.Read(ref _bodyBytes);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    internal void AddBodyBytes(int count) => Interlocked.Add(ref _bodyBytes, count);
}
