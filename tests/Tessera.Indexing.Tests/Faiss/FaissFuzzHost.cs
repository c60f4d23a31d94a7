using System.Globalization;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Faiss;

/// <summary>
/// The child process of the fuzz test (this test assembly, started through <see cref="StartupHook"/>):
/// feeds every case to the library and prints <c>B n</c> before case <c>n</c>, so a process killed by
/// a signal names the case that killed it. Clean errors are counted; anything else is printed as
/// <c>UNEXPECTED</c>. Ends with one <c>SUMMARY</c> line and exit code 0.
/// </summary>
internal static class FaissFuzzHost
{
    public const string ModeVariable = "TESSERA_FAISS_FUZZ_MODE";
    public const string InputVariable = "TESSERA_FAISS_FUZZ_INPUT";
    public const string FromVariable = "TESSERA_FAISS_FUZZ_FROM";

    /// <summary>Set to 1 to print each case's description after its number (for debugging by hand).</summary>
    public const string VerboseVariable = "TESSERA_FAISS_FUZZ_VERBOSE";

    /// <summary>Labels of these outer index types are positions, so every hit must be below the count.</summary>
    private static readonly string[] PositionalTypes = ["IxF2", "IxFI", "IxFl", "IxPq", "IxSQ", "IHNf", "IHNs", "IHNp"];

    /// <summary>A budget far above what the small cases need, so a case that allocates more is refused instead of slowing the run.</summary>
    private static readonly FaissIndexOptions Budget = new() { MaxMemoryBytes = 256L << 20 };

    public static int Run(string mode)
    {
        var input = Environment.GetEnvironmentVariable(InputVariable) ?? "";
        var from = int.Parse(Environment.GetEnvironmentVariable(FromVariable) ?? "0", CultureInfo.InvariantCulture);
        var stdout = Console.Out;
        var verbose = Environment.GetEnvironmentVariable(VerboseVariable) == "1";
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var cases = 0;
        switch (mode)
        {
            case "index":
                var bases = LoadBases(input);
                var file = Path.Combine(Path.GetTempPath(), $"tessera-fuzz-{Environment.ProcessId}.index");
                try
                {
                    foreach (var c in FaissFuzzCases.IndexCases(bases))
                    {
                        if (c.Number < from)
                        {
                            continue;
                        }

                        Begin(stdout, c.Number, verbose ? $"{c.Base}: {c.Mutation}" : null);
                        cases++;
                        Count(counts, RunIndexCase(c, file, stdout));
                    }
                }
                finally
                {
                    File.Delete(file);
                }

                break;
            case "factory":
                var strings = FaissFuzzCases.FactoryStrings();
                for (var i = from; i < strings.Count; i++)
                {
                    Begin(stdout, i, verbose ? strings[i] : null);
                    cases++;
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    Count(counts, RunFactoryCase(i, strings[i], stdout));
                    if (verbose)
                    {
                        stdout.WriteLine($"T {i} {watch.ElapsedMilliseconds} ms");
                    }
                }

                break;
            default:
                stdout.WriteLine($"UNEXPECTED -1 unknown mode {mode}");
                return 3;
        }

        stdout.WriteLine($"SUMMARY cases={cases} {string.Join(' ', counts.Select(kv => $"{kv.Key}={kv.Value}"))}");
        stdout.Flush();
        return 0;
    }

    /// <summary>The base files the test wrote, in name order.</summary>
    public static List<(string Name, byte[] Bytes)> LoadBases(string directory) =>
        [.. Directory.GetFiles(directory, "*.index").Order(StringComparer.Ordinal).Select(p => (Path.GetFileName(p), File.ReadAllBytes(p)))];

    private static string RunIndexCase(FaissFuzzCases.IndexCase c, string file, TextWriter stdout)
    {
        FaissIndex index;
        var mapped = c.Number % 8 == 1;
        try
        {
            if (c.Number % 4 == 1)
            {
                File.WriteAllBytes(file, c.Bytes);
                index = FaissIndex.Load(file, mapped ? FaissIoFlags.MemoryMap : FaissIoFlags.None, Budget);
            }
            else
            {
                index = FaissIndex.Deserialize(c.Bytes, Budget);
            }
        }
        catch (FaissException e)
        {
            return e.Kind.ToString();
        }
        catch (Exception e)
        {
            return Unexpected(stdout, c.Number, $"load threw {e.GetType().Name}: {e.Message}");
        }

        using (index)
        {
            if (c.IsTruncation)
            {
                return Unexpected(stdout, c.Number, "a truncated index was accepted");
            }

            try
            {
                Exercise(index, PositionalTypes.Contains(System.Text.Encoding.ASCII.GetString(c.Bytes, 0, 4)));
            }
            catch (FaissException e)
            {
                return "loaded-then-" + e.Kind;
            }
            catch (Exception e)
            {
                return Unexpected(stdout, c.Number, $"use threw {e.GetType().Name}: {e.Message}");
            }

            try
            {
                // A memory-mapped index serialises as FAISS's on-disk list format, which is refused by design.
                if (!mapped || index.TryGetIvfInfo() is null)
                {
                    using var again = FaissIndex.Deserialize(index.Serialize(), Budget);
                }
            }
            catch (Exception e)
            {
                return Unexpected(stdout, c.Number, $"FAISS's own re-serialisation was refused: {e.Message}");
            }

            return "loaded";
        }
    }

    private static string RunFactoryCase(int number, string factory, TextWriter stdout)
    {
        const int d = 8;
        var data = TestData.ClusteredVectors(300, d);
        var options = Budget;
        var outcome = "";
        foreach (var metric in number % 4 == 0 ? new[] { VectorMetric.L2, VectorMetric.InnerProduct } : [VectorMetric.L2])
        {
            try
            {
                using var index = FaissIndex.Create(d, factory, metric, options);
                if (!index.IsTrained)
                {
                    index.Train(data);
                }

                var spec = IndexFactorySpec.Parse(factory);
                if (spec.AcceptsExplicitIds)
                {
                    index.Add(data, Enumerable.Range(0, 300).Select(i => 5000L + i).ToArray());
                }
                else
                {
                    index.Add(data);
                }

                Exercise(index, positional: !spec.AcceptsExplicitIds);
                using var copy = FaissIndex.Deserialize(index.Serialize(), options);
                Exercise(copy, positional: !spec.AcceptsExplicitIds);
                outcome = "built";
            }
            catch (FaissException e)
            {
                outcome = e.Kind.ToString();
            }
            catch (ArgumentException e) when (string.IsNullOrWhiteSpace(factory))
            {
                outcome = "empty-" + e.GetType().Name;
            }
            catch (Exception e)
            {
                return Unexpected(stdout, number, $"'{factory}' ({metric}) threw {e.GetType().Name}: {e.Message}");
            }
        }

        return outcome;
    }

    /// <summary>
    /// Searches (two nprobes), range-searches and reconstructs. Where labels are positions (no ids
    /// stored), every label must be -1 or below the count; stored ids are data and may be anything.
    /// </summary>
    private static void Exercise(FaissIndex index, bool positional)
    {
        var query = TestData.ClusteredVectors(2, index.Dimension, seed: 3);
        foreach (var nprobe in new[] { 0, 3 })
        {
            var distances = new float[2 * 5];
            var labels = new long[2 * 5];
            index.Search(query, 5, distances, labels, nprobe);
            foreach (var label in labels)
            {
                if (positional && (label < -1 || label >= index.Count))
                {
                    throw new InvalidOperationException($"search returned label {label} from an index of {index.Count} vectors");
                }
            }
        }

        try
        {
            index.RangeSearch(query, 0.5f);
        }
        catch (FaissException)
        {
            // Not every index type supports range search; a typed refusal is the expected outcome.
        }

        if (index.Count > 0)
        {
            try
            {
                index.Reconstruct(0, new float[index.Dimension]);
            }
            catch (FaissException)
            {
                // Neither does every index reconstruct.
            }
        }
    }

    private static void Begin(TextWriter stdout, int number, string? description)
    {
        stdout.Write("B ");
        stdout.Write(number.ToString(CultureInfo.InvariantCulture));
        stdout.WriteLine(description is null ? "" : " " + description);
        stdout.Flush();
    }

    private static string Unexpected(TextWriter stdout, int number, string what)
    {
        stdout.WriteLine($"UNEXPECTED {number} {what.ReplaceLineEndings(" ")}");
        stdout.Flush();
        return "unexpected";
    }

    private static void Count(SortedDictionary<string, int> counts, string outcome) =>
        counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
}
