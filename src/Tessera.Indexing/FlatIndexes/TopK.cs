using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.FlatIndexes;

/// <summary>
/// The k best (smallest key, then lowest label) of a stream of candidates, kept in a max-heap laid
/// over the caller's output spans, so a search allocates nothing. Keys are L2 distances, or minus
/// the inner product, so one ordering serves both metrics.
/// </summary>
internal ref struct TopK
{
    private readonly Span<float> _keys;
    private readonly Span<long> _labels;
    private int _count;

    public TopK(Span<float> keys, Span<long> labels)
    {
        _keys = keys;
        _labels = labels;
        _count = 0;
    }

    /// <summary>Offers a candidate; labels must arrive in increasing order (ties keep the earlier one).</summary>
    public void Offer(float key, long label)
    {
        if (float.IsNaN(key))
        {
            return;
        }

        if (_count < _keys.Length)
        {
            // Sift up.
            var i = _count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (!Worse(key, label, _keys[parent], _labels[parent]))
                {
                    break;
                }

                _keys[i] = _keys[parent];
                _labels[i] = _labels[parent];
                i = parent;
            }

            _keys[i] = key;
            _labels[i] = label;
            return;
        }

        if (!(key < _keys[0]))
        {
            return;
        }

        // Replace the worst and sift down.
        SiftDown(_keys[.._count], _labels[.._count], key, label);
    }

    /// <summary>Sorts best first, turns keys back into the metric's values and pads missing neighbours as FAISS does (label -1).</summary>
    public readonly void Finish(VectorMetric metric)
    {
        var keys = _keys[.._count];
        var labels = _labels[.._count];

        // Heap-sort in place: repeatedly move the worst to the end.
        for (var end = _count - 1; end > 0; end--)
        {
            var (key, label) = (keys[end], labels[end]);
            (keys[end], labels[end]) = (keys[0], labels[0]);
            SiftDown(keys[..end], labels[..end], key, label);
        }

        if (metric == VectorMetric.InnerProduct)
        {
            for (var i = 0; i < _count; i++)
            {
                _keys[i] = -_keys[i];
            }
        }

        var neutral = metric == VectorMetric.InnerProduct ? -float.MaxValue : float.MaxValue;
        _keys[_count..].Fill(neutral);
        _labels[_count..].Fill(-1);
    }

    /// <summary>Puts (<paramref name="key"/>, <paramref name="label"/>) at the root of the heap and sifts it down to its place.</summary>
    private static void SiftDown(Span<float> keys, Span<long> labels, float key, long label)
    {
        var n = keys.Length;
        var at = 0;
        while (true)
        {
            var child = (2 * at) + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && Worse(keys[child + 1], labels[child + 1], keys[child], labels[child]))
            {
                child++;
            }

            if (!Worse(keys[child], labels[child], key, label))
            {
                break;
            }

            keys[at] = keys[child];
            labels[at] = labels[child];
            at = child;
        }

        keys[at] = key;
        labels[at] = label;
    }

    private static bool Worse(float key, long label, float otherKey, long otherLabel) =>
        key > otherKey || (key == otherKey && label > otherLabel);
}
