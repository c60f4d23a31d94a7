namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// The sampled pixels, kept in the source's compact type (bytes for a Byte mosaic) in fixed-size chunks
/// allocated as they fill, with their labels and (for scaled int8 sources) their scales.
/// </summary>
/// <typeparam name="T">The stored value type.</typeparam>
internal sealed class SampleStore<T>
    where T : unmanaged
{
    /// <summary>Samples per chunk.</summary>
    public const int ChunkSamples = 1 << 15;

    private readonly List<T[]> _values = [];
    private readonly List<long[]> _ids = [];
    private readonly List<float[]>? _scales;

    public SampleStore(int dimension, bool hasScales)
    {
        Dimension = dimension;
        _scales = hasScales ? [] : null;
    }

    public int Dimension { get; }

    public long Count { get; private set; }

    public bool HasScales => _scales is not null;

    /// <summary>Bytes held.</summary>
    public long AllocatedBytes => ((long)_values.Count * ChunkSamples * Dimension * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
        + ((long)_ids.Count * ChunkSamples * sizeof(long)) + ((long)(_scales?.Count ?? 0) * ChunkSamples * sizeof(float));

    public void Add(ReadOnlySpan<T> pixel, long id, float scale = 1f)
    {
        var slot = (int)(Count % ChunkSamples);
        if (slot == 0)
        {
            _values.Add(GC.AllocateUninitializedArray<T>(ChunkSamples * Dimension));
            _ids.Add(GC.AllocateUninitializedArray<long>(ChunkSamples));
            _scales?.Add(GC.AllocateUninitializedArray<float>(ChunkSamples));
        }

        var chunk = _values.Count - 1;
        pixel.CopyTo(_values[chunk].AsSpan(slot * Dimension, Dimension));
        _ids[chunk][slot] = id;
        if (_scales is not null)
        {
            _scales[chunk][slot] = scale;
        }

        Count++;
    }

    public ReadOnlySpan<T> GetValues(long index) => _values[(int)(index / ChunkSamples)].AsSpan((int)(index % ChunkSamples) * Dimension, Dimension);

    public long GetId(long index) => _ids[(int)(index / ChunkSamples)][index % ChunkSamples];

    public float GetScale(long index) => _scales is null ? 1f : _scales[(int)(index / ChunkSamples)][index % ChunkSamples];

    /// <summary>The values of samples <paramref name="start"/> .. + <paramref name="count"/>, which must lie in one chunk.</summary>
    public ReadOnlySpan<T> GetValues(long start, int count) => _values[(int)(start / ChunkSamples)].AsSpan((int)(start % ChunkSamples) * Dimension, count * Dimension);

    /// <summary>The labels of samples <paramref name="start"/> .. + <paramref name="count"/>, which must lie in one chunk.</summary>
    public ReadOnlySpan<long> GetIds(long start, int count) => _ids[(int)(start / ChunkSamples)].AsSpan((int)(start % ChunkSamples), count);

    /// <summary>The scales of samples <paramref name="start"/> .. + <paramref name="count"/>, which must lie in one chunk.</summary>
    public ReadOnlySpan<float> GetScales(long start, int count) =>
        _scales is null ? [] : _scales[(int)(start / ChunkSamples)].AsSpan((int)(start % ChunkSamples), count);
}
