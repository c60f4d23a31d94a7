using Tessera.Indexing.Indexes;

namespace Tessera.Cli.Benchmarking;

/// <summary>An <see cref="IVectorIndex"/> wrapper that times <see cref="Save"/> ("index write"); everything else passes through.</summary>
internal sealed class TimedVectorIndex(IVectorIndex inner, StageClock clock) : IVectorIndex
{
    public const string SaveStage = "index write";

    public IVectorIndex Inner => inner;

    public int Dimension => inner.Dimension;

    public long Count => inner.Count;

    public bool IsTrained => inner.IsTrained;

    public VectorMetric Metric => inner.Metric;

    public void Train(ReadOnlySpan<float> vectors) => inner.Train(vectors);

    public void Add(ReadOnlySpan<float> vectors) => inner.Add(vectors);

    public void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids) => inner.Add(vectors, ids);

    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<long> labels, int nprobe = 0) =>
        inner.Search(queries, k, distances, labels, nprobe);

    public RangeSearchResult RangeSearch(ReadOnlySpan<float> queries, float radius, int nprobe = 0) => inner.RangeSearch(queries, radius, nprobe);

    public void Reset() => inner.Reset();

    public void Save(string path) => clock.Time(SaveStage, () => inner.Save(path));

    public byte[] Serialize() => inner.Serialize();

    public void Dispose() => inner.Dispose();
}
