using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// Training: a reproducible subset of the samples (Knuth's selection sampling from the seed) is
/// converted, normalised when asked, and handed to the index builder.
/// </summary>
internal static class TrainStage
{
    /// <summary>Trains <paramref name="index"/> (fitting its plan to the samples first).</summary>
    /// <returns>The training vectors used (0 for an index that needs no training).</returns>
    public static int Run<T>(BuildContext build, PlannedIndex index, SampleStore<T> samples)
        where T : unmanaged
    {
        var options = build.Options;
        var n = samples.Count;
        if (n == 0)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.TooFewSamples,
                $"No valid pixels were sampled for viewport '{options.ViewportId}': every sampled pixel is nodata. Check the mosaic's nodata value, or lower the sampling factor.");
        }

        var trainCount = (int)Math.Min(options.TrainSize, n);
        index.Fit(build.IndexBuilder, trainCount, options);
        var plan = index.Plan;
        if (plan.NlistLowered)
        {
            MosaicLog.NlistLowered(build.Logger, options.ViewportId, trainCount, plan.RequestedNlist, IndexFactoryPlan.MinimumPointsPerCentroid, plan.Nlist, plan.Effective);
        }

        if (index.Index.IsTrained)
        {
            return 0;
        }

        if (trainCount < plan.MinimumTrainingPoints)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.TooFewSamples,
                $"The index '{options.IndexFactory}' needs at least {plan.MinimumTrainingPoints} training vectors for its product quantiser, but viewport '{options.ViewportId}' has only {n} valid sampled pixels (sampling factor {options.SamplingFactor}). Lower the sampling factor, or use an index without PQ (for example 'IVF16,Flat' or 'Flat').");
        }

        MosaicLog.Training(build.Logger, options.ViewportId, plan.Effective, trainCount, options.TrainSeed);
        build.Reporter.Report(MosaicIndexStage.Training, 0, $"Training {plan.Effective} on {trainCount} vectors");
        var dimension = samples.Dimension;
        var vectors = GC.AllocateUninitializedArray<float>(checked(trainCount * dimension));
        var chosen = 0;
        foreach (var i in SelectTrainingSamples(n, trainCount, options.TrainSeed))
        {
            var scale = samples.GetScale(i);
            VectorConversion.ToVectors(samples.GetValues(i), samples.HasScales ? new ReadOnlySpan<float>(in scale) : default, vectors.AsSpan(chosen * dimension, dimension));
            chosen++;
        }

        if (options.Normalize)
        {
            EmbeddingKernels.NormalizeRows(vectors, dimension);
        }

        build.CancellationToken.ThrowIfCancellationRequested();
        build.IndexBuilder.Train(index.Index, vectors, build.CancellationToken);
        build.Reporter.Report(MosaicIndexStage.Training, 1, $"Trained {plan.Effective}");
        return trainCount;
    }

    /// <summary>Knuth's selection sampling: <paramref name="count"/> of <paramref name="total"/> indexes, in order, reproducible from <paramref name="seed"/>.</summary>
    public static IEnumerable<long> SelectTrainingSamples(long total, int count, int seed)
    {
        if (count >= total)
        {
            for (long i = 0; i < total; i++)
            {
                yield return i;
            }

            yield break;
        }

        var random = new Random(seed);
        long needed = count;
        for (long i = 0; i < total && needed > 0; i++)
        {
            if (random.NextDouble() * (total - i) < needed)
            {
                needed--;
                yield return i;
            }
        }
    }
}
