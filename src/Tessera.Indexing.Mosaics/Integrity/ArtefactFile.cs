using System.Security.Cryptography;

namespace Tessera.Indexing.Mosaics.Integrity;

/// <summary>
/// Size, modification time and SHA-256 of one viewport artefact, read through symbolic links (a
/// viewport whose <c>all_embeddings.npy</c> links to the real file is checked against the target).
/// </summary>
internal static class ArtefactFile
{
    private const int HashBufferBytes = 1 << 20;

    /// <summary>The file itself, or the final target of a symbolic link.</summary>
    /// <param name="path">The path as named in the viewport folder.</param>
    /// <returns>The resolved file's info (which may not exist).</returns>
    public static FileInfo Resolve(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            return info;
        }

        return info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
    }

    /// <summary>Lower-case hex SHA-256 of the file's bytes (following symbolic links), read sequentially in 1 MiB blocks.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <returns>64 hex digits.</returns>
    public static string Sha256(string path, CancellationToken cancellationToken = default)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[HashBufferBytes];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
