using System.Buffers.Text;
using System.Text.Json;

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

    /// <summary>The role Storage sees the key as, when the key says so.</summary>
    public const string ServiceRole = "service_role";

    /// <summary>
    /// The Postgres role a key acts as: <see cref="ServiceRole"/> for <c>sb_secret_…</c> keys, <c>anon</c> for
    /// <c>sb_publishable_…</c> keys, a legacy JWT key's <c>role</c> claim (read, not verified: it only words
    /// messages); <see langword="null"/> when the key does not say.
    /// </summary>
    public static string? Role(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        if (key.StartsWith("sb_secret_", StringComparison.Ordinal))
        {
            return ServiceRole;
        }

        if (key.StartsWith("sb_publishable_", StringComparison.Ordinal))
        {
            return "anon";
        }

        if (!IsJwt(key))
        {
            return null;
        }

        try
        {
            var payload = key.Split('.')[1];
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("role", out var role)
                && role.ValueKind == JsonValueKind.String
                ? role.GetString()
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Replaces every occurrence of <paramref name="key"/> (and of its JWT signature) in <paramref name="text"/>
    /// with <see cref="Mask"/>, in any letter case (a server may echo it upper- or lower-cased) and in its
    /// URL-escaped form (a key pasted into a store path appears escaped in request paths).
    /// </summary>
    public static string Redact(string text, string? key)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(key))
        {
            return text;
        }

        var redacted = RedactForms(text, key);
        if (IsJwt(key))
        {
            var signature = key[(key.LastIndexOf('.') + 1)..];
            if (signature.Length >= 8)
            {
                redacted = RedactForms(redacted, signature);
            }
        }

        return redacted;
    }

    private static string RedactForms(string text, string secret)
    {
        var redacted = text.Replace(secret, Mask, StringComparison.OrdinalIgnoreCase);
        var escaped = Uri.EscapeDataString(secret);
        return escaped == secret ? redacted : redacted.Replace(escaped, Mask, StringComparison.OrdinalIgnoreCase);
    }
}
