using System.Runtime.CompilerServices;
using System.Text.Json;
using Tessera.Indexing.Items;

namespace Tessera.Indexing.Images.Items;

/// <summary>
/// Items listed in a JSON-lines manifest, one object per line: <c>id</c> (string or number),
/// <c>image</c> (a path or URL; a relative path resolves against the manifest's folder), optional
/// <c>brand</c>, and any further properties, which become <see cref="ImageItem.Attributes"/>
/// (strings as they are, anything else as its JSON text). Items come in file order.
/// </summary>
public sealed class JsonLinesItemSource : IItemSource
{
    private readonly string _path;

    /// <summary>Reads the manifest at <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.jsonl</c> file.</param>
    public JsonLinesItemSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
    }

    /// <inheritdoc />
    public string Description => $"jsonl {_path}";

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="afterId"/> skips the items up to and including its first occurrence; when it
    /// does not occur, every item is returned. A line that is not a JSON object or lacks an id or image
    /// is yielded as an invalid item (<see cref="InvalidItems"/>) that a build records as failed.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The manifest does not exist.</exception>
    public async IAsyncEnumerable<ImageItem> ReadAsync(string? afterId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var found = afterId is null;
        await foreach (var item in ReadAll(cancellationToken).ConfigureAwait(false))
        {
            if (found)
            {
                yield return item;
            }
            else if (item.Id == afterId)
            {
                found = true;
            }
        }

        if (!found)
        {
            await foreach (var item in ReadAll(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    private async IAsyncEnumerable<ImageItem> ReadAll([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            throw new FileNotFoundException($"The item manifest '{_path}' does not exist.", _path);
        }

        var baseFolder = Path.GetDirectoryName(_path)!;
        using var reader = new StreamReader(_path, detectEncodingFromByteOrderMarks: true);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            // ReadLineAsync does not look at the token while its buffer holds lines.
            cancellationToken.ThrowIfCancellationRequested();
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(line, lineNumber, baseFolder);
        }
    }

    private ImageItem Parse(string line, int lineNumber, string baseFolder)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return InvalidItems.Create(_path, lineNumber, null, null, $"not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return InvalidItems.Create(_path, lineNumber, null, null, $"expected a JSON object, found {root.ValueKind}");
            }

            string? id = null;
            string? image = null;
            var imagePriority = int.MaxValue;
            string? brand = null;
            Dictionary<string, string>? attributes = null;
            foreach (var property in root.EnumerateObject())
            {
                var text = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
                if (string.Equals(property.Name, ManifestColumns.Id, StringComparison.OrdinalIgnoreCase))
                {
                    id = text?.Trim();
                }
                else if (ManifestColumns.IsImageColumn(property.Name) && ManifestColumns.ImagePriority(property.Name) < imagePriority)
                {
                    image = text?.Trim();
                    imagePriority = ManifestColumns.ImagePriority(property.Name);
                }
                else if (string.Equals(property.Name, ManifestColumns.Brand, StringComparison.OrdinalIgnoreCase))
                {
                    brand = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
                }
                else if (text is not null)
                {
                    attributes ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    attributes[property.Name] = text;
                }
            }

            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(image))
            {
                return InvalidItems.Create(_path, lineNumber, id, image, $"the object needs a non-empty '{(string.IsNullOrEmpty(id) ? ManifestColumns.Id : ManifestColumns.Image)}'");
            }

            return new ImageItem(id, ItemLocations.Resolve(image, baseFolder), brand, attributes);
        }
    }
}
