namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary><c>GDALWarp</c> (the <c>gdalwarp</c> utility as a function) over several source files into one new file.</summary>
internal static unsafe class GdalWarp
{
    /// <summary>Warps <paramref name="sources"/> into <paramref name="destination"/> with command-line style <paramref name="arguments"/>, and closes it.</summary>
    public static void Run(string destination, IReadOnlyList<string> sources, ReadOnlySpan<string> arguments)
    {
        var datasets = new GdalDatasetHandle[sources.Count];
        var added = new bool[sources.Count];
        try
        {
            for (var i = 0; i < sources.Count; i++)
            {
                datasets[i] = GdalProxy.OpenRaster(sources[i]);
            }

            using var scope = GdalErrorScope.Enter();
            using var argv = new Utf8StringList(arguments);
            using var options = GdalErrors.CheckHandle(GdalNative.WarpAppOptionsNew(argv.Pointer, 0), "parse warp options");
            var handles = new nint[datasets.Length];
            for (var i = 0; i < datasets.Length; i++)
            {
                datasets[i].DangerousAddRef(ref added[i]);
                handles[i] = datasets[i].DangerousGetHandle();
            }

            int usageError = 0;
            GdalDatasetHandle result;
            fixed (nint* pointers = handles)
            {
                result = GdalNative.Warp(destination, 0, handles.Length, pointers, options, &usageError);
            }

            using var output = GdalErrors.CheckHandle(result, $"warp {sources.Count} file(s) into '{destination}'");
            GdalNative.FlushCache(output);
            GdalErrors.CheckLast($"write '{destination}'");
        }
        finally
        {
            for (var i = 0; i < datasets.Length; i++)
            {
                if (added[i])
                {
                    datasets[i].DangerousRelease();
                }

                datasets[i]?.Dispose();
            }
        }
    }
}
