using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The re-embedding check of one type for <see cref="AlignmentChecker"/>: a seeded random sample of
/// items is decoded and embedded again, prepared like the stored vectors (<see cref="ShardedIndex.PrepareQuery"/>),
/// and each must find itself in the top 10 at similarity ~1 (distance ~0), tied with the best hit.
/// </summary>
internal static class SampleChecker
{
    /// <summary>
    /// Draws up to <paramref name="sampleSize"/> distinct (shard, position) pairs uniformly over the
    /// vectors of the shards that loaded, repeatably. Every draw lands on a vector (a global position
    /// mapped to its shard), so the number of draws is bounded whatever is missing: never more than the
    /// vectors that loaded, and at most 4 × the wanted count + 64 draws for the duplicates.
    /// </summary>
    internal static List<(ShardedIndex.LoadedShard Shard, int Position)> Pick(IReadOnlyList<ShardedIndex.LoadedShard> shards, int sampleSize, int seed)
    {
        var starts = new long[shards.Count + 1];
        for (var i = 0; i < shards.Count; i++)
        {
            starts[i + 1] = starts[i] + shards[i].Ids.Length;
        }

        var total = starts[^1];
        var wanted = (int)Math.Min(Math.Max(0, sampleSize), total);
        var all = new List<(ShardedIndex.LoadedShard Shard, int Position)>(wanted);
        if (wanted == 0)
        {
            return all;
        }

        var random = new Random(seed);
        var picked = new HashSet<long>();
        if (wanted * 2L >= total)
        {
            // Most of the vectors are wanted: a shuffled prefix of all positions, no retries needed.
            var positions = new long[total];
            for (var i = 0L; i < total; i++)
            {
                positions[i] = i;
            }

            random.Shuffle(positions);
            picked.UnionWith(positions.AsSpan(0, wanted).ToArray());
        }
        else
        {
            for (var draws = 0L; picked.Count < wanted && draws < (4L * wanted) + 64; draws++)
            {
                picked.Add(random.NextInt64(total));
            }
        }

        foreach (var global in picked.Order())
        {
            var shard = Array.BinarySearch(starts, global);
            shard = shard >= 0 ? shard : ~shard - 1;
            while (starts[shard + 1] <= global)
            {
                shard++; // empty shards share a start with the next one
            }

            all.Add((shards[shard], (int)(global - starts[shard])));
        }

        return all;
    }

    /// <returns>The samples re-embedded.</returns>
    public static async Task<int> CheckAsync(
        string type,
        ShardedIndex index,
        IEmbeddingGenerator<RgbImage, Embedding<float>> embedder,
        IImageDecoder decoder,
        AlignmentCheckOptions options,
        AlignmentProblems problems,
        CancellationToken cancellationToken)
    {
        var all = Pick(index.Shards, options.SampleSize, options.Seed);

        var decodeOptions = options.DecodeOptions ?? embedder.GetService(typeof(ImageDecodeOptions)) as ImageDecodeOptions;
        var decoded = new List<(string Id, string Shard, RgbImage Image)>();
        foreach (var (shard, position) in all)
        {
            var id = shard.Ids[position];
            var location = position < shard.Images.Length ? shard.Images[position] : null;
            if (string.IsNullOrEmpty(location))
            {
                problems.Warn($"'{type}': the image of '{id}' is not recorded; sample skipped.");
                continue;
            }

            try
            {
                decoded.Add((id, shard.Entry.Name, await decoder.DecodeAsync(location, decodeOptions, cancellationToken).ConfigureAwait(false)));
            }
            catch (ImageDecodeException e)
            {
                problems.Warn($"'{type}': cannot re-read the image of '{id}' ({e.Reason}); sample skipped.");
            }
        }

        if (decoded.Count == 0)
        {
            return 0;
        }

        var embeddings = await embedder.GenerateAsync(decoded.Select(d => d.Image).ToArray(), null, cancellationToken).ConfigureAwait(false);
        var higherIsBetter = index.Metric == VectorMetric.InnerProduct;
        for (var i = 0; i < decoded.Count; i++)
        {
            var embedding = embeddings[i].Vector.Span;
            if (embedding.Length != index.Dimension)
            {
                problems.Add(AlignmentProblemKind.SampleMismatch, type, decoded[i].Shard, $"The '{type}' embedder produces {embedding.Length}-d vectors; the index is {index.Dimension}-d.");
                continue;
            }

            var hits = index.Search(index.PrepareQuery(embedding), 10);
            var own = hits.FirstOrDefault(h => h.ItemId == decoded[i].Id);
            var best = hits.Count > 0 ? hits[0].Score : float.NaN;
            var ideal = higherIsBetter ? 1f : 0f;
            var ok = own is not null
                && Math.Abs(own.Score - ideal) <= options.Tolerance
                && Math.Abs(own.Score - best) <= options.Tolerance;
            if (!ok)
            {
                var top = hits.Count > 0 ? $"'{hits[0].ItemId}' at {hits[0].Score:F5}" : "nothing";
                problems.Add(AlignmentProblemKind.SampleMismatch, type, decoded[i].Shard,
                    $"Re-embedded '{decoded[i].Id}' finds {top}; itself {(own is null ? "not in the top 10" : $"at {own.Score:F5}")} (expected {(higherIsBetter ? "similarity" : "distance")} ~{ideal}).");
            }
        }

        return decoded.Count;
    }
}
