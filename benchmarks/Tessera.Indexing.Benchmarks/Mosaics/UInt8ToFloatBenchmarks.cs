using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Benchmarks.Mosaics;

/// <summary>uint8 embeddings to float32 in [0, 1] (÷255), as the build writes all_embeddings.npy.</summary>
public class UInt8ToFloatBenchmarks
{
    private byte[] _source = [];
    private float[] _destination = [];

    /// <summary>Values: one 128-d vector, a 4096-pixel conversion chunk, and a length not a multiple of the vector width.</summary>
    [Params(128, 4096 * 128, (6 * 512) + 7)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = new byte[Length];
        new Random(2).NextBytes(_source);
        _destination = new float[Length];
    }

    [Benchmark(Baseline = true)]
    public float NaiveScalar()
    {
        for (var i = 0; i < _source.Length; i++)
        {
            _destination[i] = _source[i] / 255f;
        }

        return _destination[^1];
    }

    [Benchmark]
    public float TensorPrimitivesConvertThenDivide()
    {
        TensorPrimitives.ConvertChecked<byte, float>(_source, _destination);
        TensorPrimitives.Divide(_destination, 255f, _destination);
        return _destination[^1];
    }

    [Benchmark]
    public float ConvertUInt8()
    {
        EmbeddingKernels.ConvertUInt8(_source, _destination);
        return _destination[^1];
    }
}
