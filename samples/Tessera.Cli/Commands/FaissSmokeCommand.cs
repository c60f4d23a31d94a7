using System.CommandLine;
using System.Diagnostics;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera faiss-smoke</c>: builds, saves, reloads and searches a small IVF-PQ index.</summary>
internal static class FaissSmokeCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Vectors to index.", DefaultValueFactory = _ => 20_000 };
        var factory = new Option<string>("--index") { Description = "FAISS factory string.", DefaultValueFactory = _ => "IVF64,PQ16np" };
        var output = new Option<string?>("--out") { Description = "Where to write the index file (default: a temp file)." };
        var command = new Command("faiss-smoke", "Build, save, reload and search a small FAISS index to check the native set-up.")
        {
            count, factory, output,
        };
        command.SetAction(parse => Run(parse.GetValue(count), parse.GetValue(factory)!, parse.GetValue(output)));
        return command;
    }

    private static int Run(int count, string factory, string? output)
    {
        const int d = 128;
        var watch = Stopwatch.StartNew();
        var random = new Random(1);
        var data = new float[count * d];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextDouble();
        }

        Console.WriteLine($"FAISS {FaissIndex.FaissVersion}, {FaissIndex.MaxThreads} threads");
        using var index = FaissIndex.Create(d, factory, VectorMetric.L2);
        index.Train(data);
        index.Add(data, Enumerable.Range(0, count).Select(i => (long)i).ToArray());
        var path = output ?? Path.Combine(Path.GetTempPath(), $"tessera-smoke-{Environment.ProcessId}.index");
        index.Save(path);
        using var loaded = FaissIndex.Load(path);
        var hits = loaded.Search(data.AsSpan(0, d), 5, nprobe: 8);
        Console.WriteLine($"{factory}: {loaded.Count} vectors in {path} ({new FileInfo(path).Length:N0} bytes)");
        Console.WriteLine($"nearest to vector 0: {string.Join(", ", hits.Select(h => $"{h.Label} ({h.Distance:F3})"))}");
        Console.WriteLine($"done in {watch.Elapsed.TotalSeconds:F1} s");
        if (output is null)
        {
            File.Delete(path);
        }

        return hits.Length > 0 && hits[0].Label == 0 ? 0 : 1;
    }
}
