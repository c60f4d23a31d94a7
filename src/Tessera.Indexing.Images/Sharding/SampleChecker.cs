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
        // Pick labels uniformly over all loaded shards, repeatably.
        var random = new Random(options.Seed);
        var all = new List<(ShardedIndex.LoadedShard Shard, int Position)>();
        var total = index.Shards.Sum(s => s.Ids.Length);
        var wanted = (int)Math.Min(options.SampleSize, total);
        var picked = new HashSet<(string, int)>();
        var shards = index.Shards;
        while (all.Count < wanted && picked.Count < total)
        {
            var shard = shards[random.Next(shards.Count)];
            if (shard.Ids.Length == 0)
            {
                continue;
            }

            var position = random.Next(shard.Ids.Length);
            if (picked.Add((shard.Entry.Name, position)))
            {
                all.Add((shard, position));
            }
        }

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
