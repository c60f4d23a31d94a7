using Tessera.Indexing.Items;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>The checks of one type against the build's records for <see cref="AlignmentChecker"/>: progress.json, the whole id map and the item source.</summary>
internal static class ProgressChecks
{
    /// <summary>progress.json claims nothing the id map lacks, and no failed item is indexed.</summary>
    public static void CheckProgress(string type, BuildProgressDocument? progress, CheckedType checkedType, IReadOnlyDictionary<string, FailedItem> failed, AlignmentProblems problems)
    {
        if (progress is null)
        {
            return;
        }

        var owner = checkedType.Owner;
        if (progress.Indexed.TryGetValue(type, out var claimed))
        {
            if (claimed > owner.Count)
            {
                problems.Add(AlignmentProblemKind.ProgressMismatch, type, ShardStoreLayout.ProgressName, $"progress.json claims {claimed} '{type}' vectors; the id map holds {owner.Count}.");
            }
            else if (claimed < owner.Count)
            {
                problems.Warn($"'{type}' holds {owner.Count} vectors, progress.json {claimed}: a batch was uploaded before an interruption; resuming records it.");
            }
        }
        else if (progress.Types.Contains(type) && owner.Count > 0)
        {
            problems.Warn($"progress.json has no count for '{type}'.");
        }

        if (progress.Checkpoint.Indexed > owner.Count)
        {
            problems.Add(AlignmentProblemKind.ProgressMismatch, type, ShardStoreLayout.ProgressName,
                $"progress.json's checkpoint claims {progress.Checkpoint.Indexed} items indexed; the '{type}' id map holds {owner.Count}.");
        }

        foreach (var id in failed.Keys)
        {
            if (owner.TryGetValue(id, out var shard))
            {
                problems.Add(AlignmentProblemKind.FailedItemIndexed, type, shard, $"The item '{id}' is recorded as failed but is indexed in {shard}.");
            }
        }
    }

    /// <summary>The whole id map, when present, equals the segments and batch objects.</summary>
    public static async Task CheckWholeIdMapAsync(IShardStore store, string model, string type, CheckedType checkedType, AlignmentProblems problems, CancellationToken cancellationToken)
    {
        var name = ShardStoreLayout.IdMapName(model, type);
        var blob = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return;
        }

        IdMapDocument document;
        try
        {
            document = ShardingJson.Deserialize<IdMapDocument>(blob.Content, name);
        }
        catch (ShardStoreException e)
        {
            problems.Add(AlignmentProblemKind.IdMapMismatch, type, name, e.Message);
            return;
        }

        var labels = checkedType.Labels;
        if (document.Labels.Count != labels.Count || document.Count != labels.Count)
        {
            problems.Add(AlignmentProblemKind.IdMapMismatch, type, name, $"{name} maps {document.Labels.Count} labels (count {document.Count}); the shards' segments map {labels.Count}.");
        }

        foreach (var (label, id) in document.Labels)
        {
            if (!labels.TryGetValue(label, out var expected) || expected != id)
            {
                problems.Add(AlignmentProblemKind.IdMapMismatch, type, name, $"{name} maps label {label} to '{id}'; the segments map it to '{expected ?? "nothing"}'.");
            }
        }
    }

    /// <summary>Every item of the source is indexed or recorded as failed.</summary>
    public static void CheckItems(string type, IReadOnlyList<ImageItem>? sourceItems, CheckedType checkedType, IReadOnlyDictionary<string, FailedItem> failed, AlignmentProblems problems)
    {
        foreach (var item in sourceItems ?? [])
        {
            if (!checkedType.Owner.ContainsKey(item.Id) && !failed.ContainsKey(item.Id))
            {
                problems.Add(AlignmentProblemKind.MissingItem, type, null, $"The item '{item.Id}' is neither in the '{type}' index nor recorded as failed.");
            }
        }
    }
}
