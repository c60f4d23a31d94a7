using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tessera.Indexing.Benchmarks.Reporting;

/// <summary>
/// The ceilings the benchmarks compare with. Memory: about 40 GB/s of reads for the whole machine
/// (the figure for the project's 2-core AMD EPYC (Zen 5) machine; override with
/// TESSERA_BENCH_MEMORY_GBPS). FMA: measured, not assumed: a loop of independent fused
/// multiply-adds at the widest vector width, on one core, times the cores used (boost clocks made
/// the nominal 2.6 GHz figure too low).
/// </summary>
public static class Machine
{
    private static readonly Lazy<double> FmaFlopsPerCore = new(MeasureFmaFlopsPerCore);

    public static double MemoryBytesPerSecond { get; } = Read("TESSERA_BENCH_MEMORY_GBPS", 40) * 1e9;

    /// <summary>Peak single-precision FLOP/s of <paramref name="threads"/> cores (measured on one core).</summary>
    public static double PeakFlops(int threads) => FmaFlopsPerCore.Value * Math.Min(threads, Environment.ProcessorCount);

    private static double MeasureFmaFlopsPerCore()
    {
        var best = 0.0;
        for (var run = 0; run < 5; run++)
        {
            const int iterations = 1 << 22;
            var watch = Stopwatch.StartNew();
            var flopsPerIteration = FmaLoop(iterations);
            best = Math.Max(best, flopsPerIteration * (double)iterations / watch.Elapsed.TotalSeconds);
        }

        return best;
    }

    /// <summary>16 independent FMA chains (enough to cover the latency of two FMA pipes); returns FLOP per iteration.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double FmaLoop(int iterations)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var m = Vector512.Create(0.999999f);
            var a = Vector512.Create(1e-7f);
            Vector512<float> v0 = a, v1 = a, v2 = a, v3 = a, v4 = a, v5 = a, v6 = a, v7 = a;
            Vector512<float> v8 = a, v9 = a, v10 = a, v11 = a, v12 = a, v13 = a, v14 = a, v15 = a;
            for (var i = 0; i < iterations; i++)
            {
                v0 = Vector512.FusedMultiplyAdd(v0, m, a); v1 = Vector512.FusedMultiplyAdd(v1, m, a);
                v2 = Vector512.FusedMultiplyAdd(v2, m, a); v3 = Vector512.FusedMultiplyAdd(v3, m, a);
                v4 = Vector512.FusedMultiplyAdd(v4, m, a); v5 = Vector512.FusedMultiplyAdd(v5, m, a);
                v6 = Vector512.FusedMultiplyAdd(v6, m, a); v7 = Vector512.FusedMultiplyAdd(v7, m, a);
                v8 = Vector512.FusedMultiplyAdd(v8, m, a); v9 = Vector512.FusedMultiplyAdd(v9, m, a);
                v10 = Vector512.FusedMultiplyAdd(v10, m, a); v11 = Vector512.FusedMultiplyAdd(v11, m, a);
                v12 = Vector512.FusedMultiplyAdd(v12, m, a); v13 = Vector512.FusedMultiplyAdd(v13, m, a);
                v14 = Vector512.FusedMultiplyAdd(v14, m, a); v15 = Vector512.FusedMultiplyAdd(v15, m, a);
            }

            Sink = (v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9 + v10 + v11 + v12 + v13 + v14 + v15).ToScalar();
            return 16 * 16 * 2;
        }

        var m8 = Vector256.Create(0.999999f);
        var a8 = Vector256.Create(1e-7f);
        Vector256<float> w0 = a8, w1 = a8, w2 = a8, w3 = a8, w4 = a8, w5 = a8, w6 = a8, w7 = a8;
        for (var i = 0; i < iterations; i++)
        {
            w0 = Vector256.FusedMultiplyAdd(w0, m8, a8); w1 = Vector256.FusedMultiplyAdd(w1, m8, a8);
            w2 = Vector256.FusedMultiplyAdd(w2, m8, a8); w3 = Vector256.FusedMultiplyAdd(w3, m8, a8);
            w4 = Vector256.FusedMultiplyAdd(w4, m8, a8); w5 = Vector256.FusedMultiplyAdd(w5, m8, a8);
            w6 = Vector256.FusedMultiplyAdd(w6, m8, a8); w7 = Vector256.FusedMultiplyAdd(w7, m8, a8);
        }

        Sink = (w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7).ToScalar();
        return 8 * 8 * 2;
    }

    /// <summary>Keeps the calibration loop's result alive.</summary>
    public static float Sink { get; private set; }

    private static double Read(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
