using System.Text.RegularExpressions;
using Tessera.Indexing.Mosaics;

namespace Tessera.Server.Api;

/// <summary>The viewport ids the server accepts: the mosaic indexer's rules, narrowed to URL- and path-safe characters.</summary>
internal static partial class ViewportIds
{
    public static bool IsValid(string? id, out string error)
    {
        if (id is null || !SafeId().IsMatch(id))
        {
            error = "viewport_id must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit.";
            return false;
        }

        if (!MosaicLayout.IsValidViewportId(id, out var reason))
        {
            error = $"viewport_id is invalid: {reason}.";
            return false;
        }

        error = string.Empty;
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();
}
