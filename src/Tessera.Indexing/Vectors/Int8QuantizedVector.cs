namespace Tessera.Indexing.Vectors;

/// <summary>
/// A float vector quantised to int8 codes for integer dot products against uint8 rows:
/// <c>v[i] = Scale · Codes[i] + e[i]</c>, with <c>|Codes[i]| ≤ maxCode</c>.
/// </summary>
/// <remarks>
/// For any row <c>r</c>, <c>Σ v[i]·r[i] = Scale · Σ Codes[i]·r[i] + Σ e[i]·r[i]</c>, and by Cauchy–Schwarz
/// <c>|Σ e[i]·r[i]| ≤ ‖e‖·‖r‖</c>. <see cref="ErrorNorm"/> is an upper bound on <c>‖e‖</c> (computed in
/// double, where every <c>e[i] = v[i] − Scale·Codes[i]</c> is exact, and rounded up by a relative 2⁻³⁰), so
/// <c>|Σ v[i]·r[i] − Scale·K| ≤ ErrorNorm · ‖r‖</c> holds for the exact integer <c>K</c> the kernels return.
/// The bound does not depend on the row's direction, only on its length.
/// </remarks>
public sealed class Int8QuantizedVector
{
    /// <summary>Quantises <paramref name="vector"/> with codes in <c>[−maxCode, maxCode]</c>.</summary>
    /// <param name="vector">The vector (finite values).</param>
    /// <param name="maxCode">The largest code magnitude (1..127).</param>
    public Int8QuantizedVector(ReadOnlySpan<float> vector, int maxCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCode, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCode, 127);
        var maxAbs = 0f;
        foreach (var v in vector)
        {
            maxAbs = MathF.Max(maxAbs, MathF.Abs(v));
        }

        Scale = maxAbs > 0 ? maxAbs / maxCode : 1f;
        Codes = new sbyte[vector.Length];
        double squares = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            var code = (int)Math.Clamp(MathF.Round(vector[i] / Scale), -maxCode, maxCode);
            Codes[i] = (sbyte)code;

            // Scale·code has at most 24 + 7 significant bits and v − Scale·code is exact in double.
            var e = (double)vector[i] - ((double)Scale * code);
            squares += e * e;
        }

        ErrorNorm = Math.Sqrt(squares) * (1 + Math.ScaleB(1.0, -30));
    }

    /// <summary>The codes, one per value.</summary>
    public sbyte[] Codes { get; }

    /// <summary>What one code unit is worth.</summary>
    public float Scale { get; }

    /// <summary>An upper bound on the norm of the quantisation error <c>v − Scale·Codes</c>.</summary>
    public double ErrorNorm { get; }
}
