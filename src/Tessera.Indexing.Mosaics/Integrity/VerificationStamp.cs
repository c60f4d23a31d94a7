using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Indexing.Mosaics.Integrity;

/// <summary>
/// <c>.verified.json</c> in a viewport folder: for each artefact, the size and modification time it
/// had when its SHA-256 was last computed and found equal to <c>metadata.json</c>'s. A later check
/// that finds the same size, time and recorded hash skips re-reading the file. Written by the build
/// and, best effort, after a full verification; a missing or unreadable stamp only costs a re-hash.
/// </summary>
internal sealed record VerificationStamp
{
    /// <summary>The stamp's file name inside the viewport folder.</summary>
    public const string FileName = ".verified.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Per artefact file name.</summary>
    public Dictionary<string, Entry> Files { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The stamp of <paramref name="directory"/>, or an empty one when there is none or it is unreadable.</summary>
    public static VerificationStamp Read(string directory)
    {
        try
        {
            var path = Path.Combine(directory, FileName);
            if (!File.Exists(path))
            {
                return new VerificationStamp();
            }

            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<VerificationStamp>(stream, Json) ?? new VerificationStamp();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new VerificationStamp();
        }
    }

    /// <summary>Whether <paramref name="file"/> is, by size and time, what was verified to hash to <paramref name="sha256"/>.</summary>
    public bool Vouches(string name, FileInfo file, string sha256) =>
        Files.TryGetValue(name, out var entry)
        && entry.Size == file.Length
        && entry.WrittenTicks == file.LastWriteTimeUtc.Ticks
        && string.Equals(entry.Sha256, sha256, StringComparison.Ordinal);

    /// <summary>Records <paramref name="file"/> as verified.</summary>
    public void Record(string name, FileInfo file, string sha256) =>
        Files[name] = new Entry(file.Length, file.LastWriteTimeUtc.Ticks, sha256);

    /// <summary>Writes the stamp atomically (temporary file, then rename); returns whether it could.</summary>
    public bool TryWrite(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception inner) when (inner is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the stamp is an optimisation.
            }

            return false;
        }
    }

    /// <summary>One verified artefact.</summary>
    /// <param name="Size">Bytes.</param>
    /// <param name="WrittenTicks">Last write time (UTC ticks).</param>
    /// <param name="Sha256">The hash it had.</param>
    internal sealed record Entry(
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("written_ticks")] long WrittenTicks,
        [property: JsonPropertyName("sha256")] string Sha256);
}
