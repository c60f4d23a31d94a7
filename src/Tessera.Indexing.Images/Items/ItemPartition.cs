using System.Buffers;
using System.Globalization;
using System.Text;

namespace Tessera.Indexing.Images.Items;

/// <summary>
/// One of <see cref="Count"/> disjoint slices of an item collection, chosen by a stable hash of each
/// item's id (64-bit FNV-1a over its UTF-8 bytes, modulo <see cref="Count"/>), so N independent
/// workers given <c>0/N</c> … <c>(N-1)/N</c> together cover every item exactly once, on any machine
/// and in any process.
/// </summary>
/// <param name="Index">This slice, from 0 to <see cref="Count"/> - 1.</param>
/// <param name="Count">The number of slices.</param>
public readonly record struct ItemPartition(int Index, int Count)
{
    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The largest supported <see cref="Count"/> (labels of partition <c>i</c> start at <c>i &lt;&lt; 40</c>).</summary>
    public const int MaxCount = 1 << 23;

    /// <summary>Throws when the partition cannot exist.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Count is not in 1..<see cref="MaxCount"/> or Index is not in 0..Count-1.</exception>
    public void Validate()
    {
        if (Count < 1 || Count > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(Count), Count, $"The partition count must be between 1 and {MaxCount}.");
        }

        if (Index < 0 || Index >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(Index), Index, $"The partition index must be between 0 and {Count - 1}.");
        }
    }

    /// <summary>Parses <c>i/N</c>, for example <c>2/8</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The partition.</returns>
    /// <exception cref="FormatException">The text is not <c>i/N</c> with 0 &lt;= i &lt; N.</exception>
    public static ItemPartition Parse(string text)
    {
        if (!TryParse(text, out var partition))
        {
            throw new FormatException($"'{text}' is not a partition: expected i/N with 0 <= i < N <= {MaxCount}, for example 0/4.");
        }

        return partition;
    }

    /// <summary>Parses <c>i/N</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="partition">The partition, when the text is valid.</param>
    /// <returns>Whether the text is a valid partition.</returns>
    public static bool TryParse(string? text, out ItemPartition partition)
    {
        partition = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || count > MaxCount || index >= count)
        {
            return false;
        }

        partition = new ItemPartition(index, count);
        return true;
    }

    /// <summary>Whether the item with <paramref name="id"/> belongs to this partition.</summary>
    /// <param name="id">The item's id.</param>
    /// <returns><see langword="true"/> when <c>StableHash(id) % Count == Index</c>.</returns>
    public bool Contains(string id) => Count <= 1 || (int)(StableHash(id) % (ulong)Count) == Index;

    /// <summary>
    /// The 64-bit FNV-1a hash of the UTF-8 bytes of <paramref name="id"/>: the same on every machine,
    /// runtime and process (unlike <see cref="string.GetHashCode()"/>).
    /// </summary>
    /// <param name="id">The text to hash.</param>
    /// <returns>The hash.</returns>
    public static ulong StableHash(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(id.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(id, buffer);
            var hash = FnvOffsetBasis;
            foreach (var b in buffer[..length])
            {
                hash = (hash ^ b) * FnvPrime;
            }

            return hash;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The partition as <c>i/N</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
