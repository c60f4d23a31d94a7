using Microsoft.Extensions.Logging;
using Tessera.Indexing.Items;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The first stage of a type's shards: adds each batch's vectors to the current shard in memory,
/// opens (and trains) shards through the <see cref="IVectorIndexBuilder"/>, and seals a shard at
/// <see cref="ShardedIndexOptions.ItemsPerShard"/> vectors or before its serialised size would pass
/// <see cref="ShardedIndexOptions.MaxShardBytes"/> (size = measured header + count × measured bytes per vector).
/// Nothing here touches the store; <see cref="ShardCommitter"/> uploads what changed.
/// </summary>
internal sealed class ShardWriter(TypeShardSet set)
{
    private long _headerBytes;
    private long _bytesPerVector;

    private ShardedIndexOptions Options => set.Options;

    /// <summary>How many vectors fit a shard by size, from the current estimates.</summary>
    public long MaxVectorsBySize => Math.Max(0, (Options.MaxShardBytes - _headerBytes) / Math.Max(1, _bytesPerVector));

    private long Capacity => Math.Min(Options.ItemsPerShard, MaxVectorsBySize);

    /// <summary>Adds one vector per item (row-major), rotating shards by count and size.</summary>
    public void Add(ReadOnlySpan<float> vectors, IReadOnlyList<ImageItem> items)
    {
        var d = set.Dimension;
        if (vectors.Length != (long)items.Count * d)
        {
            throw new ArgumentException($"Expected {items.Count} vectors of {d} values.", nameof(vectors));
        }

        var offset = 0;
        while (offset < items.Count)
        {
            var current = set.Current ?? Open(vectors[(offset * d)..]);
            var room = Capacity - current.NTotal;
            if (room <= 0)
            {
                if (current.NTotal == 0)
                {
                    throw new InvalidOperationException(
                        $"One {d}-d vector in a '{Options.FactoryString}' shard needs about {_headerBytes + _bytesPerVector:N0} bytes, more than MaxShardBytes ({Options.MaxShardBytes:N0}).");
                }

                Seal(current);
                continue;
            }

            var take = (int)Math.Min(room, items.Count - offset);
            var slice = vectors.Slice(offset * d, take * d);
            current.Index!.Add(slice);
            current.AppendPending(slice);
            for (var i = offset; i < offset + take; i++)
            {
                current.Ids.Add(items[i].Id);
                current.Brands.Add(items[i].Brand);
                current.Images.Add(items[i].ImageLocation);
            }

            current.NTotal = current.Index.Count;
            set.NextLabel += take;
            offset += take;
            if (current.NTotal >= Capacity)
            {
                Seal(current);
            }
        }
    }

    /// <summary>Refines the bytes-per-vector estimate from a real serialised size.</summary>
    public void Observe(long bytes, long count)
    {
        if (count > 0)
        {
            _bytesPerVector = Math.Max(_bytesPerVector, (bytes - _headerBytes + count - 1) / count);
        }
    }

    /// <summary>Measures header and per-vector size from the serialised index object of a reopened shard.</summary>
    public void Measure(byte[] indexObject)
    {
        using var index = set.IndexBuilder.Deserialize(indexObject);
        var count = index.Count;
        index.Reset();
        _headerBytes = index.Serialize().LongLength;
        _bytesPerVector = count > 0
            ? Math.Max(1, (indexObject.LongLength - _headerBytes + count - 1) / count)
            : (long)set.Dimension * sizeof(float);
    }

    /// <summary>Marks <paramref name="shard"/> full: the next vector opens a new shard.</summary>
    public void Seal(ShardRecord shard)
    {
        shard.Sealed = true;
        if (ReferenceEquals(shard, set.Current))
        {
            set.Current = null;
        }

        set.Logger.LogInformation("Shard {Name} is full: {Count} vectors", shard.Name, shard.NTotal);
    }

    private ShardRecord Open(ReadOnlySpan<float> upcoming)
    {
        var shards = set.Shards;
        var number = shards.Count == 0 ? 1 : shards[^1].Number + 1;
        var index = set.IndexBuilder.Create(new VectorIndexSpec(set.Dimension, Options.FactoryString, Options.Metric));
        try
        {
            if (!index.IsTrained)
            {
                set.Logger.LogInformation("Training shard {Number} of '{Type}' ({Factory}) on {Count} vectors", number, set.Type, Options.FactoryString, upcoming.Length / set.Dimension);
                set.IndexBuilder.Train(index, upcoming);
            }

            EstimateSizes(index, upcoming);
        }
        catch
        {
            index.Dispose();
            throw;
        }

        var record = new ShardRecord
        {
            Number = number,
            Name = ShardStoreLayout.ShardName(set.Model, set.Type, number),
            SegmentName = ShardStoreLayout.IdSegmentName(set.Model, set.Type, number),
            FirstLabel = set.NextLabel,
            Index = index,
        };
        shards.Add(record);
        set.Current = record;
        return record;
    }

    /// <summary>Serialised size = header + count × per-vector bytes, measured on a scratch copy of the empty index.</summary>
    private void EstimateSizes(IVectorIndex emptyIndex, ReadOnlySpan<float> sample)
    {
        var empty = emptyIndex.Serialize();
        _headerBytes = empty.LongLength;
        var d = set.Dimension;
        var n = Math.Min(16, sample.Length / d);
        if (n == 0)
        {
            _bytesPerVector = Math.Max(_bytesPerVector, (long)d * sizeof(float));
            return;
        }

        using var probe = set.IndexBuilder.Deserialize(empty);
        probe.Add(sample[..(n * d)]);
        var perVector = (probe.Serialize().LongLength - _headerBytes + n - 1) / n;
        _bytesPerVector = Math.Max(1, perVector);
    }
}
