using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>HS256 JWTs like Supabase's legacy anon/service_role keys, made and checked with a test secret.</summary>
public static class TestJwt
{
    public const string Secret = "super-secret-jwt-token-with-at-least-32-characters-long";

    public static string Create(string role, DateTimeOffset? expires = null, string secret = Secret)
    {
        var header = Encode("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = "supabase-test",
            ["role"] = role,
            ["iat"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = (expires ?? DateTimeOffset.UtcNow.AddYears(10)).ToUnixTimeSeconds(),
        }));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }

    /// <summary>The role of a valid token, or an error message as Supabase's verifier words it.</summary>
    public static (string? Role, string? Error) Verify(string token, string secret = Secret)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (null, "Invalid Compact JWS");
        }

        var expected = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[2])))
        {
            return (null, "invalid signature");
        }

        using var payload = JsonDocument.Parse(Decode(parts[1]));
        if (payload.RootElement.TryGetProperty("exp", out var exp) && exp.GetInt64() < DateTimeOffset.UtcNow.ToUnixTimeSeconds())
        {
            return (null, "jwt expired");
        }

        return (payload.RootElement.TryGetProperty("role", out var role) ? role.GetString() : "anon", null);
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
