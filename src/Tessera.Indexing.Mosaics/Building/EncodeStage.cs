using System.Buffers;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// Encoding: every sample is converted (and normalised when asked) in batches within one sample
/// chunk and added to the index with its pixel number as id; the count is checked after.
/// </summary>
internal static class EncodeStage
{
    public static void Run<T>(BuildContext build, IVectorIndex index, SampleStore<T> samples)
        where T : unmanaged
    {
        var options = build.Options;
        var dimension = samples.Dimension;
        var batch = Math.Min(options.AddBatchSize, SampleStore<T>.ChunkSamples);
        var buffer = ArrayPool<float>.Shared.Rent(batch * dimension);
        try
        {
            for (long start = 0; start < samples.Count;)
            {
                build.CancellationToken.ThrowIfCancellationRequested();
                var toChunkEnd = SampleStore<T>.ChunkSamples - (int)(start % SampleStore<T>.ChunkSamples);
                var count = (int)Math.Min(Math.Min(batch, toChunkEnd), samples.Count - start);
                var vectors = buffer.AsSpan(0, count * dimension);
                VectorConversion.ToVectors(samples.GetValues(start, count), samples.GetScales(start, count), vectors);
                if (options.Normalize)
                {
                    EmbeddingKernels.NormalizeRows(vectors, dimension);
                }

                build.IndexBuilder.Add(index, vectors, samples.GetIds(start, count), build.CancellationToken);
                start += count;
                build.Reporter.Report(MosaicIndexStage.Adding, (double)start / samples.Count, $"Added {start} of {samples.Count} vectors");
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        if (index.Count != samples.Count)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.IndexBuildFailed,
                $"The index holds {index.Count} vectors after adding {samples.Count}; the index builder lost some.");
        }
    }
}
