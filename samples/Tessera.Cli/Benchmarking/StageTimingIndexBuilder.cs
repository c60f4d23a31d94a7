using Tessera.Indexing.Indexes;

namespace Tessera.Cli.Benchmarking;

/// <summary>
/// Wraps an <see cref="IVectorIndexBuilder"/>: times its Train and Add calls and collects the steps it
/// reports (<see cref="IndexBuildProgress"/>: coarse k-means, PQ k-means, encoding, list filling, or
/// FAISS's native training and adding) into a <see cref="StageClock"/>.
/// </summary>
internal sealed class StageTimingIndexBuilder(IVectorIndexBuilder inner, StageClock clock) : IVectorIndexBuilder
{
    public const string TrainCall = "builder.Train";
    public const string AddCall = "builder.Add";

    public IVectorIndexBuilder Inner => inner;

    public IVectorIndex Create(VectorIndexSpec spec) => new TimedVectorIndex(inner.Create(spec), clock);

    public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        inner.Train(Unwrap(index), vectors, new Collector(clock), cancellationToken);
        clock.Add(TrainCall, System.Diagnostics.Stopwatch.GetElapsedTime(start));
    }

    public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        inner.Add(Unwrap(index), vectors, ids, new Collector(clock), cancellationToken);
        clock.Add(AddCall, System.Diagnostics.Stopwatch.GetElapsedTime(start));
    }

    public IVectorIndex Load(string path) => new TimedVectorIndex(inner.Load(path), clock);

    public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => new TimedVectorIndex(inner.Deserialize(data), clock);

    private static IVectorIndex Unwrap(IVectorIndex index) => index is TimedVectorIndex timed ? timed.Inner : index;

    /// <summary>Synchronous (unlike <see cref="Progress{T}"/>): reports arrive before the call returns.</summary>
    private sealed class Collector(StageClock clock) : IProgress<IndexBuildProgress>
    {
        public void Report(IndexBuildProgress value) => clock.Add(value.Stage.ToString(), value.Elapsed);
    }
}
