using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The checksum of the first <c>n</c> entries of an id-map segment (ids, brands and image locations,
/// in label order), as recorded in the manifest (<see cref="ShardManifestEntry.IdMapSha256"/>,
/// <see cref="ShardBatchEntry.IdsSha256"/>). It covers entries, not the JSON bytes, so a segment that
/// a crash left longer than its index object still matches on the prefix its vectors use, while a
/// swapped, renamed or dropped id does not.
/// </summary>
/// <remarks>Each entry is hashed as three length-prefixed UTF-8 strings (id, brand, image; a null brand is
/// length −1, a missing image is the empty string), the lengths as little-endian 32-bit integers.</remarks>
public static class IdMapDigest
{
    /// <summary>Lower-case hex SHA-256 of the first <paramref name="count"/> entries of <paramref name="segment"/>.</summary>
    /// <param name="segment">The segment.</param>
    /// <param name="count">Entries to cover (at most the segment's).</param>
    /// <returns>64 hex digits.</returns>
    public static string Compute(IdMapSegment segment, long count)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return Compute(segment.Ids, segment.Brands, segment.Images, count);
    }

    /// <summary>
    /// Whether the first <paramref name="count"/> entries of <paramref name="segment"/> hash to
    /// <paramref name="expected"/> (<see cref="Compute(IdMapSegment, long)"/>, compared ordinally); true when
    /// nothing was recorded (<paramref name="expected"/> is <see langword="null"/>).
    /// </summary>
    /// <param name="segment">The segment.</param>
    /// <param name="count">Entries to cover (at most the segment's).</param>
    /// <param name="expected">The recorded checksum, or <see langword="null"/>.</param>
    /// <returns>Whether the segment matches.</returns>
    public static bool Matches(IdMapSegment segment, long count, string? expected) =>
        expected is null || Compute(segment, count) == expected;

    /// <summary>Lower-case hex SHA-256 of the first <paramref name="count"/> entries of parallel lists.</summary>
    /// <param name="ids">Item ids.</param>
    /// <param name="brands">Brands, parallel to <paramref name="ids"/> (or <see langword="null"/>).</param>
    /// <param name="images">Image locations, parallel to <paramref name="ids"/> (or <see langword="null"/>).</param>
    /// <param name="count">Entries to cover.</param>
    /// <returns>64 hex digits.</returns>
    public static string Compute(IReadOnlyList<string> ids, IReadOnlyList<string?>? brands, IReadOnlyList<string>? images, long count)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ids.Count, nameof(count));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        var buffer = new byte[256];
        for (var i = 0; i < count; i++)
        {
            Append(hash, ids[i], length, ref buffer);
            Append(hash, brands is not null && i < brands.Count ? brands[i] : null, length, ref buffer);
            Append(hash, images is not null && i < images.Count ? images[i] ?? string.Empty : string.Empty, length, ref buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string? value, Span<byte> length, ref byte[] buffer)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        var bytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (bytes > buffer.Length)
        {
            buffer = new byte[bytes];
        }

        var written = Encoding.UTF8.GetBytes(value, buffer);
        BinaryPrimitives.WriteInt32LittleEndian(length, written);
        hash.AppendData(length);
        hash.AppendData(buffer, 0, written);
    }
}
