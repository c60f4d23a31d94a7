namespace Tessera.Indexing.Clustering;

/// <summary>
/// FAISS 1.7.3's <c>faiss::RandomGenerator</c>: a 32-bit Mersenne Twister (<c>std::mt19937</c>) seeded
/// with the low 32 bits of the seed. Reproducing it draws the same initial centroids, the same
/// subsamples and the same empty-cluster splits as FAISS's <c>Clustering</c>.
/// </summary>
internal sealed class FaissRandomGenerator
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index;

    public FaissRandomGenerator(long seed)
    {
        _state[0] = unchecked((uint)seed);
        for (var i = 1; i < N; i++)
        {
            var previous = _state[i - 1];
            _state[i] = unchecked((1812433253u * (previous ^ (previous >> 30))) + (uint)i);
        }

        _index = N;
    }

    /// <summary>The next raw 32-bit output (<c>mt()</c>).</summary>
    public uint Next()
    {
        if (_index >= N)
        {
            Twist();
        }

        var y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary><c>rand_int(max)</c> of FAISS 1.7.3: <c>mt() % max</c>.</summary>
    public int NextInt(int max) => (int)(Next() % (uint)max);

    /// <summary><c>rand_float()</c>: <c>mt() / float(mt.max())</c>, computed in single precision.</summary>
    public float NextFloat() => (float)Next() / uint.MaxValue;

    /// <summary>FAISS's <c>rand_perm</c>: a Fisher-Yates permutation of <c>0..n-1</c>.</summary>
    public static int[] Permutation(int n, long seed)
    {
        var perm = new int[n];
        for (var i = 0; i < n; i++)
        {
            perm[i] = i;
        }

        var rng = new FaissRandomGenerator(seed);
        for (var i = 0; i + 1 < n; i++)
        {
            var j = i + rng.NextInt(n - i);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }

        return perm;
    }

    private void Twist()
    {
        var s = _state;
        for (var i = 0; i < N; i++)
        {
            var y = (s[i] & 0x80000000u) | (s[(i + 1) % N] & 0x7fffffffu);
            var v = s[(i + M) % N] ^ (y >> 1);
            if ((y & 1) != 0)
            {
                v ^= 0x9908b0dfu;
            }

            s[i] = v;
        }

        _index = 0;
    }
}
