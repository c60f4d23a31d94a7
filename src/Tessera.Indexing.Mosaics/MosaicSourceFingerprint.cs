namespace Tessera.Indexing.Mosaics;

/// <summary>
/// Identifies the exact source a viewport was built from, cheaply: the file's full path, size and
/// modification time, and a SHA-256 of a few chunks spread over the file (every file of a
/// multi-file source). A source that is not a local file is identified by a hash of a few raster rows.
/// </summary>
/// <param name="Path">The source's full path (or location).</param>
/// <param name="SizeBytes">The file size in bytes (summed over files); -1 when the source is not a local file.</param>
/// <param name="LastWriteUtc">The latest modification time of its files (UTC); <see cref="DateTime.MinValue"/> when not a local file.</param>
/// <param name="SampleHash"><c>sha256:</c> and the hex digest of the sampled chunks.</param>
public sealed record MosaicSourceFingerprint(string Path, long SizeBytes, DateTime LastWriteUtc, string SampleHash);
