namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The model names a store records (<see cref="ShardedIndexOptions.ModelName"/>, the first part of
/// every object name): <see cref="Histogram"/> for the model-free colour histogram embedders, or a
/// name derived from the model file, so a store built with one model is never searched with another.
/// </summary>
public static class ImageModelNames
{
    /// <summary>The model name of the model-free colour histogram embedders.</summary>
    public const string Histogram = "histogram";

    /// <summary>The fallback name of a model file whose name has no usable character.</summary>
    public const string UnnamedModel = "onnx";

    /// <summary>
    /// The model name of an embedding model file: its file name without extension, every character
    /// other than ASCII letters, digits, <c>-</c> and <c>.</c> replaced by <c>-</c>, trimmed of leading
    /// and trailing <c>-</c> and <c>.</c> (e.g. <c>models/clip_vit b32.onnx</c> → <c>clip-vit-b32</c>);
    /// <see cref="Histogram"/> when <paramref name="modelPath"/> is <see langword="null"/>.
    /// </summary>
    /// <param name="modelPath">The model file, or <see langword="null"/> for the histogram embedders.</param>
    /// <returns>A valid model name (<see cref="ShardStoreLayout.IsValidName"/>).</returns>
    public static string FromModelFile(string? modelPath)
    {
        if (modelPath is null)
        {
            return Histogram;
        }

        var stem = Path.GetFileNameWithoutExtension(modelPath);
        var chars = new char[Math.Min(stem.Length, 64)];
        for (var i = 0; i < chars.Length; i++)
        {
            var c = stem[i];
            chars[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-';
        }

        var name = new string(chars).Trim('-', '.');
        return name.Length == 0 ? UnnamedModel : name;
    }
}
