using System.Globalization;
using System.Text.Json;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>Writes an <see cref="IdMapDocument"/> by streaming (the map can hold millions of entries).</summary>
internal static class IdMapWriter
{
    public static byte[] Write(string model, string type, long count, IEnumerable<(long Label, string Id)> entries)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteNumber("formatVersion", ShardStoreLayout.FormatVersion);
            json.WriteString("model", model);
            json.WriteString("type", type);
            json.WriteNumber("count", count);
            json.WriteStartObject("labels");
            foreach (var (label, id) in entries)
            {
                json.WriteString(label.ToString(CultureInfo.InvariantCulture), id);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
