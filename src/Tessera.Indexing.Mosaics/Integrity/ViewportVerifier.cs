using System.Collections.Concurrent;

namespace Tessera.Indexing.Mosaics.Integrity;

/// <summary>
/// Checks a viewport folder's artefacts against <c>metadata.json</c>: each file exists (following
/// symbolic links), has its recorded size and, when the metadata records one
/// (<see cref="MosaicMetadata.FileSha256"/>), its recorded SHA-256. Used by the build's cache check and
/// by <c>ViewportSearcher.Open</c>.
/// </summary>
/// <remarks>
/// Hashing a multi-gigabyte <c>all_embeddings.npy</c> takes seconds, so a file is re-hashed only when
/// needed: once per process per file identity (full path, size, modification time), and not at all
/// when the folder's <see cref="VerificationStamp"/> says the file had this size and time when it was
/// last found to hash to the recorded value. A change that keeps size and modification time (a
/// deliberate edit that resets the time) is therefore caught only by a process that has not verified
/// the file before and whose stamp no longer matches; delete <c>.verified.json</c> to force a full check.
/// </remarks>
internal static class ViewportVerifier
{
    private static readonly ConcurrentDictionary<(string Path, long Size, long Ticks), string> VerifiedInProcess = new();

    /// <summary>Verifies the folder.</summary>
    /// <param name="directory">The viewport folder.</param>
    /// <param name="metadata">Its metadata.</param>
    /// <param name="required">File names that must exist (whether or not the metadata lists them); other listed files are checked when present, and must be present when <paramref name="requireListed"/>.</param>
    /// <param name="requireListed">Every file the metadata lists must exist.</param>
    /// <param name="cancellationToken">Stops hashing between blocks.</param>
    /// <returns><see langword="null"/> when every file checks out, else why not (one line).</returns>
    public static string? Verify(
        string directory,
        MosaicMetadata metadata,
        IReadOnlyCollection<string> required,
        bool requireListed,
        CancellationToken cancellationToken = default)
    {
        // Older viewports record sizes only (FileSha256 null): their files are checked by size.
        var hashes = metadata.FileSha256;
        var names = new List<string>(required);
        foreach (var name in metadata.FileSizes.Keys)
        {
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        VerificationStamp? stamp = null;
        var stampChanged = false;
        foreach (var name in names)
        {
            if (!IsPlainName(name))
            {
                return $"metadata.json lists '{name}', which is not a file name inside the viewport folder";
            }

            var file = ArtefactFile.Resolve(Path.Combine(directory, name));
            if (!file.Exists)
            {
                if (requireListed || required.Contains(name))
                {
                    return $"{name} is missing";
                }

                continue;
            }

            if (!metadata.FileSizes.TryGetValue(name, out var expected))
            {
                return $"metadata.json records no size for {name}";
            }

            if (file.Length != expected)
            {
                return $"{name} has {file.Length} bytes, not the recorded {expected}";
            }

            if (hashes is null)
            {
                continue;
            }

            if (!hashes.TryGetValue(name, out var recorded))
            {
                return $"metadata.json records no SHA-256 for {name}";
            }

            var identity = (file.FullName, file.Length, file.LastWriteTimeUtc.Ticks);
            if (VerifiedInProcess.TryGetValue(identity, out var known) && string.Equals(known, recorded, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            stamp ??= VerificationStamp.Read(directory);
            if (stamp.Vouches(name, file, recorded.ToLowerInvariant()))
            {
                VerifiedInProcess[identity] = recorded;
                continue;
            }

            var actual = ArtefactFile.Sha256(file.FullName, cancellationToken);
            if (!string.Equals(actual, recorded, StringComparison.OrdinalIgnoreCase))
            {
                return $"{name} has SHA-256 {actual}, not the recorded {recorded.ToLowerInvariant()} (the file is corrupt or was changed after the build)";
            }

            VerifiedInProcess[identity] = recorded;
            stamp.Record(name, file, actual);
            stampChanged = true;
        }

        if (stampChanged)
        {
            stamp!.TryWrite(directory);
        }

        return null;
    }

    /// <summary>
    /// Hashes every file of a freshly written folder, except those whose hash <paramref name="known"/> already holds
    /// (computed while they were written), and records them all in a new stamp there.
    /// </summary>
    /// <param name="directory">The (staging) folder.</param>
    /// <param name="names">The artefacts.</param>
    /// <param name="known">File name → lower-case hex SHA-256 computed as the file was written; may be null.</param>
    /// <param name="cancellationToken">Stops hashing between blocks.</param>
    /// <returns>File name → lower-case hex SHA-256.</returns>
    public static Dictionary<string, string> HashAndStamp(string directory, IEnumerable<string> names, IReadOnlyDictionary<string, string>? known, CancellationToken cancellationToken)
    {
        var stamp = new VerificationStamp();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var file = ArtefactFile.Resolve(Path.Combine(directory, name));
            var sha = known is not null && known.TryGetValue(name, out var precomputed) ? precomputed : ArtefactFile.Sha256(file.FullName, cancellationToken);
            hashes[name] = sha;
            stamp.Record(name, file, sha);
        }

        stamp.TryWrite(directory);
        return hashes;
    }

    private static bool IsPlainName(string name) =>
        name.Length > 0 && name == Path.GetFileName(name) && name is not ("." or "..");
}
