using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Json;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>The JSON conventions of the store's documents (camelCase, enums as strings) and their checksums.</summary>
internal static class ShardingJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Compact form for large documents (id-map segments).</summary>
    public static JsonSerializerOptions Compact { get; } = new(Options) { WriteIndented = false };

    public static byte[] Serialize<T>(T value, bool compact = false) =>
        JsonSerializer.SerializeToUtf8Bytes(value, compact ? Compact : Options);

    public static T Deserialize<T>(ReadOnlyMemory<byte> json, string name)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(json.Span, Options);
        }
        catch (JsonException e)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, name, $"'{name}' is not a valid {typeof(T).Name} document: {e.Message}", e);
        }

        if (value is null)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, name, $"'{name}' is empty (null).");
        }

        return value;
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
