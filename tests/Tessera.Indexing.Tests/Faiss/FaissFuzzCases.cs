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

    /// <summary>
    /// Every index case for <paramref name="bases"/> (name and bytes, in a fixed order): about 150 per
    /// base, so the whole run stays well under a minute on a busy two-core machine.
    /// </summary>
    public static IEnumerable<IndexCase> IndexCases(IReadOnlyList<(string Name, byte[] Bytes)> bases)
    {
        var number = 0;
        for (var b = 0; b < bases.Count; b++)
        {
            var (name, bytes) = bases[b];
            var random = new Random(1000 + b);
            var n = bytes.Length;

            // Truncations (the in-process tests cut at every offset; here a sample, in the child).
            var lengths = new SortedSet<int> { 0, 3, 4, 36, 37, n - 1, n - 8 };
            while (lengths.Count < 14)
            {
                lengths.Add(random.Next(n));
            }

            foreach (var length in lengths.Where(l => l >= 0 && l < n))
            {
                yield return new IndexCase(number++, name, $"truncated to {length} bytes", true, bytes[..length]);
            }

            // Field overwrites where fields are: offsets holding small integers (dimensions, counts,
            // flags, metrics, type codes' neighbours), every header byte, and a few random offsets.
            var structural = Enumerable.Range(0, Math.Max(0, n - 3))
                .Where(o => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(o)) is >= -1 and <= 1 << 16)
                .ToList();
            var offsets = new SortedSet<int>(Enumerable.Range(0, Math.Min(n, 38)).Where(o => o % 4 == 0 || o is 32 or 33 or 37));
            for (var i = 0; i < 24 && structural.Count > 0; i++)
            {
                offsets.Add(structural[random.Next(structural.Count)]);
            }

            for (var i = 0; i < 8; i++)
            {
                offsets.Add(random.Next(n));
            }

            (string Kind, long Value)[] variants =
            [
                ("int32", 0), ("int32", -1), ("int32", int.MaxValue), ("int64", 0), ("int64", -1), ("int64", 1L << 40),
                ("int64", 1_000_000_000), ("byte", 2), ("byte", 255),
            ];
            foreach (var offset in offsets)
            {
                for (var v = 0; v < 3; v++)
                {
                    var (kind, value) = variants[random.Next(variants.Length)];
                    var width = kind switch { "int32" => 4, "int64" => 8, _ => 1 };
                    if (offset + width > n)
                    {
                        continue;
                    }

                    var copy = bytes.ToArray();
                    switch (width)
                    {
                        case 4:
                            BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), (int)value);
                            break;
                        case 8:
                            BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(offset), value);
                            break;
                        default:
                            copy[offset] = (byte)value;
                            break;
                    }

                    yield return new IndexCase(number++, name, $"{kind} at {offset} = {value}", false, copy);
                }
            }

            // Length fields: 8-byte values that look like a count of what follows, nudged and blown up.
            var lengthFields = Enumerable.Range(0, Math.Max(0, n - 7))
                .Where(o => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(o)) is var v && v >= 1 && v <= n)
                .ToList();
            for (var i = 0; i < 12 && lengthFields.Count > 0; i++)
            {
                var offset = lengthFields[random.Next(lengthFields.Count)];
                var v = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset));
                long[] values = [0, v - 1, v + 1, 1L << 40, long.MaxValue];
                var value = values[random.Next(values.Length)];
                var copy = bytes.ToArray();
                BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(offset), value);
                yield return new IndexCase(number++, name, $"length at {offset}: {v} -> {value}", false, copy);
            }

            // Seeded random byte flips.
            for (var i = 0; i < 16; i++)
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
            "Flat", "IVF4,Flat", "IVF4,PQ2x4np", "IVF2,PQ4np", "PQ2x4np", "SQ8", "SQ4", "SQfp16", "IVF4,SQ8", "HNSW4",
            "HNSW4_SQ8", "HNSW4_PQ2np", "IDMap2,Flat", "IDMap,IVF4,Flat", "PCA4,Flat", "OPQ2_8,IVF4,PQ2x4np",
            "IVF4_HNSW4,Flat", "L2norm,Flat", "RR,Flat", "RR16,IVF2,Flat", "Flat,IDMap2", "PCAW4,IVF2,Flat",
        ];
        string[] issue =
        [
            "IVF0,Flat", "PQ0", "IVF16,PQ16x0", "HNSW0", "IVF99999999,PQ64", "PCA0,Flat", "LSH", "IVF16,PQ4x64",
            "PQ8x4fs", "IVF4,PQ2x4fs", "", " ", ",", "IVF", "PQ", "HNSW", "IDMap", "IDMap2,IDMap2,Flat", "IVF4,Flat,RFlat",
            "ITQ,Flat", "Pad16,Flat", "IVF4,FlatDedup", "IMI2x4,Flat", "NSG4", "IVF4,PQ2+2", "MinMax,Flat", "ZnLattice2x4_3",
            "RR99999,Flat", "OPQ2_99999,PQ2", "PCA99999,Flat", "HNSW4097", "IVF2147483647,Flat", "PQ8x17",
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
        for (var i = 0; i < 30; i++)
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
