using System.Runtime.CompilerServices;
using Tessera.Indexing.Items;

namespace Tessera.Indexing.Images.Items;

/// <summary>
/// The images in a folder. An item's id is its path relative to the folder without the extension,
/// with <c>/</c> separators (<c>shoes/red-1.jpg</c> → <c>shoes/red-1</c>); items come in ordinal id order.
/// </summary>
public sealed class FolderItemSource : IItemSource
{
    private readonly string _folder;
    private readonly FolderItemSourceOptions _options;
    private readonly HashSet<string> _extensions;

    /// <summary>Reads the images under <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="options">Extensions, recursion and brand naming; <see langword="null"/> for the defaults.</param>
    public FolderItemSource(string folder, FolderItemSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _folder = Path.GetFullPath(folder);
        _options = options ?? new FolderItemSourceOptions();
        _extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var extension in _options.Extensions)
        {
            _extensions.Add(extension.StartsWith('.') ? extension : "." + extension);
        }
    }

    /// <inheritdoc />
    public string Description => $"folder {_folder}";

    /// <inheritdoc />
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">Two images map to the same id (for example <c>a.jpg</c> and <c>a.png</c>).</exception>
    public async IAsyncEnumerable<ImageItem> ReadAsync(string? afterId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (!Directory.Exists(_folder))
        {
            throw new DirectoryNotFoundException($"The image folder '{_folder}' does not exist.");
        }

        var byId = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var search = _options.Recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        foreach (var path in Directory.EnumerateFiles(_folder, "*", search))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_extensions.Contains(Path.GetExtension(path)))
            {
                continue;
            }

            var relative = Path.GetRelativePath(_folder, path).Replace(Path.DirectorySeparatorChar, '/');
            var id = relative[..^Path.GetExtension(relative).Length];
            if (!byId.TryAdd(id, path))
            {
                throw new InvalidDataException($"Two images in '{_folder}' map to the item id '{id}': '{byId[id]}' and '{path}'. Rename one.");
            }
        }

        foreach (var (id, path) in byId)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (afterId is not null && string.CompareOrdinal(id, afterId) <= 0)
            {
                continue;
            }

            string? brand = null;
            if (_options.BrandFromFirstFolder)
            {
                var slash = id.IndexOf('/', StringComparison.Ordinal);
                brand = slash > 0 ? id[..slash] : null;
            }

            yield return new ImageItem(id, path, brand);
        }
    }
}
