using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Numpy;

namespace Tessera.Indexing.Mosaics.Tests.Contracts;

/// <summary>Files of the GeoTessera contract fixtures.</summary>
internal static class GeoTesseraContractFiles
{
    /// <summary>Writes one .npy.</summary>
    public static void Write<T>(string path, NpyDataType type, long[] shape, T[] data)
        where T : unmanaged
    {
        using var writer = NpyWriter.Create(path, type, shape);
        writer.Write<T>(data);
        writer.Complete();
    }

    /// <summary>Makes the foreign tile a pair whose files are both text, so the opener gets past the existence checks to the format.</summary>
    public static string WithForeignScales(string path)
    {
        File.WriteAllText(GeoTesseraTileSource.GetScalesPath(path), "not a scales file either");
        return path;
    }
}
