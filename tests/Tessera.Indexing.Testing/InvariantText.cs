using System.Globalization;

namespace Tessera.Indexing.Testing;

/// <summary>Numbers as command-line arguments: culture-invariant and round-trippable.</summary>
public static class InvariantText
{
    /// <summary>Formats <paramref name="value"/> so that <see cref="double.Parse(string, IFormatProvider)"/> with the invariant culture gives it back exactly.</summary>
    /// <param name="value">The number.</param>
    /// <returns>Its round-trip ("R") text in the invariant culture.</returns>
    public static string Of(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
