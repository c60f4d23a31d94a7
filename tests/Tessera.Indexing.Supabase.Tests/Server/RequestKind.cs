namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>What kind of request carried a body to the fake server (for the byte counters).</summary>
public enum RequestKind
{
    /// <summary><c>POST</c> or <c>PUT /storage/v1/object/{bucket}/{path}</c>: a whole object in one request.</summary>
    RestUpload,

    /// <summary><c>POST /storage/v1/upload/resumable</c>: a TUS creation (no body; counted for its requests).</summary>
    TusCreate,

    /// <summary><c>PATCH /storage/v1/upload/resumable/{id}</c>: one TUS chunk.</summary>
    TusPatch,

    /// <summary>Anything else: list and bucket bodies, reads, PostgREST.</summary>
    Other,
}
