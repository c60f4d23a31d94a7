namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>What the fake server does to a request instead of (or on top of) answering it.</summary>
public enum FaultKind
{
    /// <summary>HTTP 429 with <c>Retry-After: 0</c>.</summary>
    TooManyRequests,

    /// <summary>HTTP 500 with Storage's JSON error body.</summary>
    InternalError,

    /// <summary>HTTP 503 from the gateway, plain text.</summary>
    ServiceUnavailable,

    /// <summary>HTTP 544, Storage's database timeout.</summary>
    DatabaseTimeout,

    /// <summary>HTTP 400 whose body carries statusCode 503 (Storage's connection-limit error).</summary>
    BadRequestWrapping503,

    /// <summary>Reads half the request body, keeps it where the protocol would (a TUS PATCH), then aborts the connection.</summary>
    DropRequestMidBody,

    /// <summary>Processes the request, then sends half the response body and aborts the connection.</summary>
    DropResponseMidBody,

    /// <summary>Processes the request, then aborts the connection before answering (the answer is lost).</summary>
    DropAfterProcessing,

    /// <summary>Waits <see cref="Fault.Delay"/> before processing.</summary>
    Slow,

    /// <summary>Answers HTTP 400 with statusCode 403, echoing the request's apikey in the message (to test redaction).</summary>
    EchoKeyInError,

    /// <summary>Like <see cref="EchoKeyInError"/>, with the key upper-cased (redaction must ignore case).</summary>
    EchoKeyUpperCasedInError,
}
