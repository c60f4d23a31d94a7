using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Images.Embeddings;

/// <summary>
/// The names of the image index types, each a keyed <c>IEmbeddingGenerator&lt;RgbImage, Embedding&lt;float&gt;&gt;</c>
/// service, and the lookup of those services by name. Any other name can be registered with
/// <c>AddImageIndexType</c>.
/// </summary>
public static class ImageIndexTypes
{
    /// <summary><c>color</c>: the RGB image as it is.</summary>
    public const string Color = "color";

    /// <summary><c>structure</c>: the image converted to grayscale and back to three channels, then embedded.</summary>
    public const string Structure = "structure";

    /// <summary><c>combined</c>: the mean of the normalised color and structure embeddings, normalised again.</summary>
    public const string Combined = "combined";

    /// <summary>The three built-in types.</summary>
    public static IReadOnlyList<string> All { get; } = [Color, Structure, Combined];

    /// <summary>Whether <paramref name="name"/> can name an index type (it becomes part of object names): letters, digits, <c>-</c>, <c>.</c>; not starting with <c>.</c> or <c>-</c>.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when it is valid.</returns>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || name[0] is '.' or '-')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Resolves the keyed embedders of <paramref name="names"/>.</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="names">Index type names.</param>
    /// <returns>The embedders by name, in the order given.</returns>
    /// <exception cref="InvalidOperationException">A name has no registered embedder.</exception>
    public static IReadOnlyDictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>> Resolve(IServiceProvider services, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(names);
        var result = new Dictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var embedder = services.GetKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>(name)
                ?? throw new InvalidOperationException(
                    $"No image embedder is registered for the index type '{name}'. Register one with AddImageIndexType(\"{name}\", ...), or AddColorHistogramEmbedder() for color, structure and combined.");
            result[name] = embedder;
        }

        return result;
    }
}
