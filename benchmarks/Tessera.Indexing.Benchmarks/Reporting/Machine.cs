using System.Runtime.Intrinsics;

namespace Tessera.Indexing.Benchmarks.Reporting;

/// <summary>
/// The ceilings the benchmarks compare with. Memory: about 40 GB/s of reads for the whole machine
/// (measured on the project's 2-core AMD EPYC (Zen 5) machine; override with TESSERA_BENCH_MEMORY_GBPS).
/// FMA: cores x GHz x 2 FMA pipes x lanes x 2 FLOP (Zen 5: two 512-bit FMA per cycle;
/// override the clock with TESSERA_BENCH_GHZ, default 2.6, the nominal clock /proc/cpuinfo reports).
/// </summary>
public static class Machine
{
    public static double MemoryBytesPerSecond { get; } = Read("TESSERA_BENCH_MEMORY_GBPS", 40) * 1e9;

    public static double Gigahertz { get; } = Read("TESSERA_BENCH_GHZ", 2.6);

    /// <summary>Peak single-precision FLOP/s of <paramref name="threads"/> cores at the widest vector width.</summary>
    public static double PeakFlops(int threads)
    {
        var lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 1;
        return Math.Min(threads, Environment.ProcessorCount) * Gigahertz * 1e9 * 2 * lanes * 2;
    }

    private static double Read(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
