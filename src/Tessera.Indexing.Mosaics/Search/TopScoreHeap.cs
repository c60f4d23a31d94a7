namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Keeps the best <c>capacity</c> (pixel, score) pairs seen, in O(capacity) memory: a binary heap
/// whose root is the worst kept entry. Ties in score prefer the lower pixel index, so results are
/// deterministic whatever the order in which parallel workers feed it.
/// </summary>
internal sealed class TopScoreHeap
{
    private readonly long[] _pixels;
    private readonly float[] _keys;
    private readonly bool _higherIsBetter;
    private int _count;

    public TopScoreHeap(int capacity, bool higherIsBetter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _pixels = new long[capacity];
        _keys = new float[capacity];
        _higherIsBetter = higherIsBetter;
    }

    public int Count => _count;

    public int Capacity => _pixels.Length;

    /// <summary>Offers one entry; returns whether it was kept.</summary>
    public bool Offer(long pixel, float score)
    {
        // Keys are "goodness": higher is better whatever the metric.
        var key = _higherIsBetter ? score : -score;
        if (_count < _pixels.Length)
        {
            var i = _count++;
            _pixels[i] = pixel;
            _keys[i] = key;
            SiftUp(i);
            return true;
        }

        if (_pixels.Length == 0 || !Better(key, pixel, _keys[0], _pixels[0]))
        {
            return false;
        }

        _pixels[0] = pixel;
        _keys[0] = key;
        SiftDown(0);
        return true;
    }

    /// <summary>Whether a full heap would reject <paramref name="score"/> whatever its pixel (a cheap pre-check).</summary>
    public bool RejectsOutright(float score)
    {
        if (_count < _pixels.Length)
        {
            return false;
        }

        if (_pixels.Length == 0)
        {
            return true;
        }

        var key = _higherIsBetter ? score : -score;
        return key < _keys[0];
    }

    /// <summary>When the heap is full, the score of its worst kept entry (a score strictly worse is rejected outright); otherwise NaN.</summary>
    public float WorstKeptScore => _count < _pixels.Length || _pixels.Length == 0 ? float.NaN : _higherIsBetter ? _keys[0] : -_keys[0];

    /// <summary>Moves every entry of <paramref name="other"/> into this heap.</summary>
    public void MergeFrom(TopScoreHeap other)
    {
        for (var i = 0; i < other._count; i++)
        {
            Offer(other._pixels[i], other._higherIsBetter ? other._keys[i] : -other._keys[i]);
        }
    }

    /// <summary>The kept entries, best first.</summary>
    public (long Pixel, float Score)[] ToSortedArray()
    {
        var result = new (long Pixel, float Key)[_count];
        for (var i = 0; i < _count; i++)
        {
            result[i] = (_pixels[i], _keys[i]);
        }

        Array.Sort(result, static (a, b) => a.Key != b.Key ? b.Key.CompareTo(a.Key) : a.Pixel.CompareTo(b.Pixel));
        var output = new (long Pixel, float Score)[_count];
        for (var i = 0; i < _count; i++)
        {
            output[i] = (result[i].Pixel, _higherIsBetter ? result[i].Key : -result[i].Key);
        }

        return output;
    }

    private static bool Better(float keyA, long pixelA, float keyB, long pixelB) =>
        keyA > keyB || (keyA == keyB && pixelA < pixelB);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Better(_keys[parent], _pixels[parent], _keys[i], _pixels[i]))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= _count)
            {
                return;
            }

            var worst = left;
            var right = left + 1;
            if (right < _count && Better(_keys[left], _pixels[left], _keys[right], _pixels[right]))
            {
                worst = right;
            }

            if (!Better(_keys[i], _pixels[i], _keys[worst], _pixels[worst]))
            {
                return;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_pixels[a], _pixels[b]) = (_pixels[b], _pixels[a]);
        (_keys[a], _keys[b]) = (_keys[b], _keys[a]);
    }
}
