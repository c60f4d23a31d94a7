using System.Runtime.CompilerServices;
using Tessera.Indexing.Items;

namespace Tessera.Indexing.Images.Items;

/// <summary>
/// Items listed in a CSV manifest with a header row: <c>id</c>, <c>image</c> (a path or URL; a
/// relative path resolves against the manifest's folder), optional <c>brand</c>, and any further
/// columns, which become <see cref="ImageItem.Attributes"/>. Fields may be double-quoted (RFC 4180).
/// Items come in file order.
/// </summary>
public sealed class CsvItemSource : IItemSource
{
    private readonly string _path;

    /// <summary>Reads the manifest at <paramref name="path"/>.</summary>
    /// <param name="path">The CSV file.</param>
    public CsvItemSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
    }

    /// <inheritdoc />
    public string Description => $"csv {_path}";

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="afterId"/> skips the items up to and including its first occurrence; when it
    /// does not occur, every item is returned.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The manifest does not exist.</exception>
    /// <exception cref="InvalidDataException">The header lacks <c>id</c> or <c>image</c>. A row with the wrong number of fields or an empty id or image does not stop the read: it is yielded as an invalid item (<see cref="InvalidItems"/>) that a build records as failed.</exception>
    public async IAsyncEnumerable<ImageItem> ReadAsync(string? afterId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var found = afterId is null;
        foreach (var item in ReadAll(cancellationToken))
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
            foreach (var item in ReadAll(cancellationToken))
            {
                yield return item;
            }
        }
    }

    private IEnumerable<ImageItem> ReadAll(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            throw new FileNotFoundException($"The item manifest '{_path}' does not exist.", _path);
        }

        var baseFolder = Path.GetDirectoryName(_path)!;
        using var reader = new StreamReader(_path, detectEncodingFromByteOrderMarks: true);
        var csv = new CsvRecordReader(reader);
        var fields = new List<string>();
        if (!csv.TryRead(fields))
        {
            yield break;
        }

        var header = fields.Select(f => f.Trim()).ToArray();
        var idColumn = Array.FindIndex(header, h => string.Equals(h, ManifestColumns.Id, StringComparison.OrdinalIgnoreCase));
        var imageColumn = -1;
        for (var i = 0; i < header.Length; i++)
        {
            if (ManifestColumns.IsImageColumn(header[i]) && (imageColumn < 0 || ManifestColumns.ImagePriority(header[i]) < ManifestColumns.ImagePriority(header[imageColumn])))
            {
                imageColumn = i;
            }
        }

        var brandColumn = Array.FindIndex(header, h => string.Equals(h, ManifestColumns.Brand, StringComparison.OrdinalIgnoreCase));
        if (idColumn < 0 || imageColumn < 0)
        {
            throw new InvalidDataException($"{_path}: the header row must name an '{ManifestColumns.Id}' and an '{ManifestColumns.Image}' column; it has: {string.Join(", ", header)}.");
        }

        while (csv.TryRead(fields))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (fields.Count != header.Length)
            {
                yield return InvalidItems.Create(
                    _path,
                    csv.RecordLine,
                    idColumn < fields.Count ? fields[idColumn] : null,
                    imageColumn < fields.Count ? fields[imageColumn] : null,
                    $"expected {header.Length} fields as in the header, found {fields.Count}");
                continue;
            }

            var id = fields[idColumn].Trim();
            var image = fields[imageColumn].Trim();
            if (id.Length == 0 || image.Length == 0)
            {
                yield return InvalidItems.Create(_path, csv.RecordLine, id, image, $"the {(id.Length == 0 ? "id" : "image")} is empty");
                continue;
            }

            var brand = brandColumn >= 0 && fields[brandColumn].Trim().Length > 0 ? fields[brandColumn].Trim() : null;
            Dictionary<string, string>? attributes = null;
            for (var i = 0; i < header.Length; i++)
            {
                if (i != idColumn && i != imageColumn && i != brandColumn)
                {
                    attributes ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    attributes[header[i]] = fields[i];
                }
            }

            yield return new ImageItem(id, ItemLocations.Resolve(image, baseFolder), brand, attributes);
        }
    }
}
