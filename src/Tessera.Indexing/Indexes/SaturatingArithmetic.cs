namespace Tessera.Indexing.Indexes;

/// <summary>Size arithmetic that saturates at <see cref="long.MaxValue"/> instead of overflowing (memory estimates of hostile sizes).</summary>
internal static class SaturatingArithmetic
{
    /// <summary><paramref name="a"/> x <paramref name="b"/> for non-negative operands; 0 when either is not positive.</summary>
    public static long Multiply(long a, long b) => a <= 0 || b <= 0 ? 0 : a > long.MaxValue / b ? long.MaxValue : a * b;

    /// <summary><paramref name="a"/> + <paramref name="b"/> for non-negative operands.</summary>
    public static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
