using System.Buffers.Binary;

namespace Tessera.Indexing.Tests.Faiss;

/// <summary>
/// The seeded mutations the fuzz test applies to index files and factory strings. Both the test and
/// its child process enumerate them, so a case is named by its number alone.
/// </summary>
internal static class FaissFuzzCases
{
    /// <summary>One mutated index: the base file it came from, what was done, and the bytes.</summary>
    public sealed record IndexCase(int Number, string Base, string Mutation, bool IsTruncation, byte[] Bytes);

    /// <summary>Every index case for <paramref name="bases"/> (name and bytes, in a fixed order).</summary>
    public static IEnumerable<IndexCase> IndexCases(IReadOnlyList<(string Name, byte[] Bytes)> bases)
    {
        var number = 0;
        for (var b = 0; b < bases.Count; b++)
        {
            var (name, bytes) = bases[b];
            var random = new Random(1000 + b);
            var n = bytes.Length;

            // Truncations: every short prefix, the last bytes, and random lengths.
            var lengths = new SortedSet<int>(Enumerable.Range(0, Math.Min(n, 64)));
            for (var i = 1; i <= 8 && i < n; i++)
            {
                lengths.Add(n - i);
            }

            for (var i = 0; i < 48; i++)
            {
                lengths.Add(random.Next(n));
            }

            foreach (var length in lengths)
            {
                yield return new IndexCase(number++, name, $"truncated to {length} bytes", true, bytes[..length]);
            }

            // Field overwrites: every offset of the first 64 bytes (the headers), and random ones.
            var offsets = new SortedSet<int>(Enumerable.Range(0, Math.Min(n, 64)));
            for (var i = 0; i < 32; i++)
            {
                offsets.Add(random.Next(n));
            }

            foreach (var offset in offsets)
            {
                foreach (var value in new[] { 0, -1, 1, int.MaxValue })
                {
                    if (offset + 4 <= n)
                    {
                        var copy = bytes.ToArray();
                        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
                        yield return new IndexCase(number++, name, $"int32 at {offset} = {value}", false, copy);
                    }
                }

                foreach (var value in new[] { 0L, -1L, 1L << 40, 1_000_000_000L })
                {
                    if (offset + 8 <= n)
                    {
                        var copy = bytes.ToArray();
                        BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(offset), value);
                        yield return new IndexCase(number++, name, $"int64 at {offset} = {value}", false, copy);
                    }
                }

                foreach (var value in new byte[] { 2, 255 })
                {
                    var copy = bytes.ToArray();
                    copy[offset] = value;
                    yield return new IndexCase(number++, name, $"byte at {offset} = {value}", false, copy);
                }
            }

            // Length fields: 8-byte values that look like a count of what follows, nudged and blown up.
            for (var offset = 0; offset + 8 <= n; offset++)
            {
                var v = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset));
                if (v < 1 || v > n)
                {
                    continue;
                }

                foreach (var value in new[] { 0, v - 1, v + 1, 1L << 40, long.MaxValue })
                {
                    var copy = bytes.ToArray();
                    BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(offset), value);
                    yield return new IndexCase(number++, name, $"length at {offset}: {v} -> {value}", false, copy);
                }
            }

            // Seeded random byte flips.
            for (var i = 0; i < 64; i++)
            {
                var copy = bytes.ToArray();
                var flips = 1 + random.Next(4);
                var where = new List<int>();
                for (var f = 0; f < flips; f++)
                {
                    var at = random.Next(n);
                    copy[at] ^= (byte)(1 + random.Next(255));
                    where.Add(at);
                }

                yield return new IndexCase(number++, name, $"flipped bytes at {string.Join(' ', where)}", false, copy);
            }
        }
    }

    /// <summary>Factory strings: supported ones, the issue's, numbers replaced by zero or absurd values, and seeded edits.</summary>
    public static IReadOnlyList<string> FactoryStrings()
    {
        string[] valid =
        [
            "Flat", "IVF4,Flat", "IVF4,PQ2x4np", "IVF2,PQ4np", "PQ2x4", "SQ8", "SQ4", "SQfp16", "IVF4,SQ8", "HNSW4",
            "HNSW4_SQ8", "HNSW4_PQ2np", "IDMap2,Flat", "IDMap,IVF4,Flat", "PCA4,Flat", "OPQ2_8,IVF4,PQ2x4np",
            "IVF4_HNSW4,Flat", "L2norm,Flat", "RR,Flat", "RR16,IVF2,Flat", "Flat,IDMap2", "PCAW4,IVF2,Flat",
        ];
        string[] issue =
        [
            "IVF0,Flat", "PQ0", "IVF16,PQ16x0", "HNSW0", "IVF99999999,PQ64", "PCA0,Flat", "LSH", "IVF16,PQ4x64",
            "PQ8x4fs", "IVF4,PQ2x4fs", "", " ", ",", "IVF", "PQ", "HNSW", "IDMap", "IDMap2,IDMap2,Flat", "IVF4,Flat,RFlat",
            "ITQ,Flat", "Pad16,Flat", "IVF4,FlatDedup", "IMI2x4,Flat", "NSG4", "IVF4,PQ2+2", "MinMax,Flat", "ZnLattice2x4_3",
            "RR99999,Flat", "OPQ2_99999,PQ2", "PCA99999,Flat", "HNSW4096", "IVF2147483647,Flat", "PQ8x17",
        ];
        int[] numbers = [0, 1, 2, 3, 1_000_000, int.MaxValue];
        string[] numberTexts = ["2147483648", "99999999999", "-1", "007"];
        var random = new Random(77);
        var result = new List<string>(valid);
        result.AddRange(issue);
        foreach (var text in valid)
        {
            var digits = System.Text.RegularExpressions.Regex.Matches(text, "[0-9]+");
            foreach (System.Text.RegularExpressions.Match d in digits)
            {
                var replacement = random.Next(numbers.Length + numberTexts.Length) is var k && k < numbers.Length
                    ? numbers[k].ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : numberTexts[k - numbers.Length];
                result.Add(string.Concat(text.AsSpan(0, d.Index), replacement, text.AsSpan(d.Index + d.Length)));
            }
        }

        const string alphabet = "IVFPQSHNWDMapLCAORx_,0123456789fnpt ";
        for (var i = 0; i < 60; i++)
        {
            var text = valid[random.Next(valid.Length)].ToCharArray().ToList();
            var edits = 1 + random.Next(3);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(text.Count + 1);
                switch (random.Next(3))
                {
                    case 0:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 1 when at < text.Count:
                        text.RemoveAt(at);
                        break;
                    default:
                        if (at < text.Count)
                        {
                            text[at] = alphabet[random.Next(alphabet.Length)];
                        }

                        break;
                }
            }

            result.Add(new string([.. text]));
        }

        return result;
    }
}
