namespace Tessera.Indexing.Supabase.Configuration;

/// <summary>What the code needs to know about an API key without ever showing it.</summary>
internal static class SupabaseKey
{
    /// <summary>The text that stands in for a key in logs and messages.</summary>
    public const string Mask = "***";

    /// <summary>
    /// Whether <paramref name="key"/> is a JWT (three non-empty base64url segments, the legacy
    /// <c>anon</c>/<c>service_role</c> keys) and so also goes in <c>Authorization: Bearer</c>.
    /// The new <c>sb_secret_…</c>/<c>sb_publishable_…</c> keys are not.
    /// </summary>
    public static bool IsJwt(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var segments = key.Split('.');
        if (segments.Length != 3)
        {
            return false;
        }

        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                return false;
            }

            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Replaces every occurrence of <paramref name="key"/> (and of its JWT signature) in <paramref name="text"/> with <see cref="Mask"/>.</summary>
    public static string Redact(string text, string? key)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(key))
        {
            return text;
        }

        var redacted = text.Replace(key, Mask, StringComparison.Ordinal);
        if (IsJwt(key))
        {
            var signature = key[(key.LastIndexOf('.') + 1)..];
            if (signature.Length >= 8)
            {
                redacted = redacted.Replace(signature, Mask, StringComparison.Ordinal);
            }
        }

        return redacted;
    }
}
