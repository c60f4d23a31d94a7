using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Faiss;

/// <summary>Small, real FAISS indexes (8-d) serialised by FAISS itself, and byte patching for corrupting them.</summary>
internal static class FaissTestIndexes
{
    public const int D = 8;

    /// <summary>Every index type the validator supports, as factory strings (8-d, small enough to train in milliseconds).</summary>
    public static readonly string[] SupportedFactories =
    [
        "Flat",
        "IVF4,Flat",
        "IVF4,PQ2x4",
        "IVF4,PQ4np",
        "PQ2x4np",
        "SQ8",
        "SQfp16",
        "SQ4",
        "IVF4,SQ8",
        "IVF4,SQ6",
        "HNSW4",
        "HNSW4_SQ8",
        "HNSW4_PQ2np",
        "IDMap2,Flat",
        "IDMap,IVF4,Flat",
        "IDMap2,PCA4,Flat",
        "OPQ2_8,IVF4,PQ2x4np",
        "IVF4_HNSW4,Flat",
        "IDMap2,L2norm,Flat",
        "IDMap2,RR,Flat",
    ];

    private static readonly ConcurrentDictionary<(string, VectorMetric, int), byte[]> Cache = new();

    /// <summary>The bytes of a trained <paramref name="factory"/> index holding <paramref name="count"/> vectors.</summary>
    public static byte[] Build(string factory, VectorMetric metric = VectorMetric.L2, int count = 40) =>
        Cache.GetOrAdd((factory, metric, count), key =>
        {
            using var index = FaissIndex.Create(D, key.Item1, key.Item2);
            var data = TestData.ClusteredVectors(Math.Max(300, key.Item3), D);
            if (!index.IsTrained)
            {
                index.Train(data);
            }

            var vectors = data.AsSpan(0, key.Item3 * D);
            var spec = IndexFactorySpec.Parse(key.Item1);
            if (spec.AcceptsExplicitIds)
            {
                var ids = Enumerable.Range(0, key.Item3).Select(i => 1000L + i).ToArray();
                index.Add(vectors, ids);
            }
            else
            {
                index.Add(vectors);
            }

            return index.Serialize();
        }).ToArray();

    public static string Fourcc(byte[] bytes, int offset) => Encoding.ASCII.GetString(bytes, offset, 4);

    public static byte[] WithInt32(byte[] bytes, int offset, int value)
    {
        var copy = bytes.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] WithInt64(byte[] bytes, int offset, long value)
    {
        var copy = bytes.ToArray();
        BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] WithByte(byte[] bytes, int offset, byte value)
    {
        var copy = bytes.ToArray();
        copy[offset] = value;
        return copy;
    }

    public static byte[] WithFourcc(byte[] bytes, int offset, string fourcc)
    {
        var copy = bytes.ToArray();
        Encoding.ASCII.GetBytes(fourcc).CopyTo(copy, offset);
        return copy;
    }

    public static long Int64At(byte[] bytes, int offset) => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset));

    public static int Int32At(byte[] bytes, int offset) => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));

    /// <summary>Field offsets of an 8-d <c>IVF4,PQ2x4</c> (IwPQ) file, from <c>faiss/impl/index_write.cpp</c>'s layout.</summary>
    public static class IvfPq
    {
        public const string Factory = "IVF4,PQ2x4";
        public const int Metric = 33;
        public const int NTotal = 8;
        public const int IsTrained = 32;
        public const int NList = 37;
        public const int NProbe = 45;
        public const int Quantizer = 53;
        public const int QuantizerNTotal = 61;
        public const int DirectMapType = 226;
        public const int CodeSize = 236;
        public const int PqD = 244;
        public const int PqM = 252;
        public const int PqNBits = 260;
        public const int CentroidsLength = 268;
        public const int InvertedLists = 788;
        public const int ListType = 808;
        public const int SizesLength = 812;
        public const int Sizes = 820;
    }

    /// <summary>Field offsets of an 8-d <c>Flat</c> (IxF2) file.</summary>
    public static class Flat
    {
        public const int Dimension = 4;
        public const int NTotal = 8;
        public const int IsTrained = 32;
        public const int Metric = 33;
        public const int VectorsLength = 37;
    }
}
