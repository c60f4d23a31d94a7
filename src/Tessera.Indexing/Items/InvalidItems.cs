using System.Globalization;
namespace Tessera.Indexing.Items;

/// <summary>
/// Rows of an item source that cannot be items (an empty id or image, a wrong field count, a line
/// that is not a JSON object). An <see cref="IItemSource"/> may yield them as <em>invalid items</em> instead of
/// stopping, so a build records each as a failed item (its reason names the file and line) and goes on.
/// </summary>
public static class InvalidItems
{
    /// <summary>The attribute an invalid item carries: why its row is unusable.</summary>
    public const string Attribute = "tessera:invalid-row";

    /// <summary>The invalid item of a bad row.</summary>
    /// <param name="path">The manifest.</param>
    /// <param name="line">The row's line number.</param>
    /// <param name="id">The row's id, when it has one; else <c>(line N)</c> stands in.</param>
    /// <param name="image">The row's image, when it has one.</param>
    /// <param name="reason">What is wrong with the row.</param>
    /// <returns>An item whose <see cref="Attribute"/> holds the reason; an empty id or image is replaced by a
    /// stand-in (<c>(line N)</c>, <c>invalid-row:{file}#line-N</c>), so a consumer unaware of invalid items still fails to decode it rather than reading an empty path.</returns>
    public static ImageItem Create(string path, long line, string? id, string? image, string reason)
    {
        var file = Path.GetFileName(path);
        var standId = string.IsNullOrWhiteSpace(id) ? string.Create(CultureInfo.InvariantCulture, $"(line {line})") : id.Trim();
        var standImage = string.IsNullOrWhiteSpace(image) ? string.Create(CultureInfo.InvariantCulture, $"invalid-row:{file}#line-{line}") : image.Trim();
        return Marked(standId, standImage, string.Create(CultureInfo.InvariantCulture, $"{file}, line {line}: {reason}"));
    }

    /// <summary>The invalid item of a bad record that has an id but no line number (a database row, for example).</summary>
    /// <param name="source">Where the record is (a table name; never a connection string or key).</param>
    /// <param name="id">The record's id.</param>
    /// <param name="reason">What is wrong with the record.</param>
    /// <returns>An item whose <see cref="Attribute"/> holds the reason and whose image is a stand-in (<c>invalid-row:{source}#{id}</c>).</returns>
    public static ImageItem Create(string source, string id, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Marked(id, $"invalid-row:{source}#{id}", $"{source}, id {id}: {reason}");
    }

    /// <summary>Whether <paramref name="item"/> stands for a bad manifest row, and why.</summary>
    /// <param name="item">The item.</param>
    /// <param name="reason">Why the row is unusable.</param>
    /// <returns><see langword="true"/> for an invalid item.</returns>
    public static bool IsInvalid(ImageItem item, out string reason)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Attributes is { } attributes && attributes.TryGetValue(Attribute, out var why))
        {
            reason = why;
            return true;
        }

        reason = string.Empty;
        return false;
    }

    private static ImageItem Marked(string id, string image, string why) =>
        new(id, image, null, new Dictionary<string, string>(StringComparer.Ordinal) { [Attribute] = why });
}
