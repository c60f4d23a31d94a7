using System.Globalization;

namespace Tessera.Server.Api;

/// <summary>Strict parsing of query-string numbers, so a bad value is a 400 naming the parameter.</summary>
internal static class QueryParameters
{
    public static bool TryInt(string? text, int fallback, int min, int max, string name, out int value, out IResult? problem)
    {
        problem = null;
        value = fallback;
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            problem = Problems.BadRequest(name, $"{name} must be an integer between {min} and {max}.");
            return false;
        }

        return true;
    }

    public static bool TryDouble(string? text, string name, out double? value, out IResult? problem)
    {
        problem = null;
        value = null;
        if (text is null)
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed))
        {
            problem = Problems.BadRequest(name, $"{name} must be a finite number.");
            return false;
        }

        value = parsed;
        return true;
    }
}
