namespace Tessera.Indexing.Supabase.Items;

/// <summary>PostgREST (<c>/rest/v1</c>) refused or failed a read. The message never contains the key.</summary>
public sealed class SupabaseRestException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status, or 0 when no answer came.</param>
    /// <param name="code">PostgREST's error code (e.g. <c>PGRST205</c>, <c>42703</c>), if any.</param>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public SupabaseRestException(int statusCode, string? code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Code = code;
    }

    /// <summary>The HTTP status, or 0 when no answer came.</summary>
    public int StatusCode { get; }

    /// <summary>PostgREST's error code, if any.</summary>
    public string? Code { get; }

    /// <inheritdoc/>
    /// <remarks>Always <c>SupabaseRest</c>.</remarks>
    public override string ErrorKind => "SupabaseRest";
}
