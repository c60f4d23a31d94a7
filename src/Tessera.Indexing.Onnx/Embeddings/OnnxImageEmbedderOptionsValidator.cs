using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Onnx.Embeddings;

/// <summary>Validates <see cref="OnnxImageEmbedderOptions"/> at start (model file exists, sizes positive, three-value mean and std).</summary>
internal sealed class OnnxImageEmbedderOptionsValidator : IValidateOptions<OnnxImageEmbedderOptions>
{
    public ValidateOptionsResult Validate(string? name, OnnxImageEmbedderOptions options)
    {
        var errors = options.Validate();
        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var prefix = string.IsNullOrEmpty(name) ? string.Empty : $"ONNX image embedder '{name}': ";
        var messages = new string[errors.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = prefix + errors[i];
        }

        return ValidateOptionsResult.Fail(messages);
    }
}
