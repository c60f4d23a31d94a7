using System.Runtime.InteropServices;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>
/// Sets GDAL configuration options for this thread only (<c>CPLSetThreadLocalConfigOption</c>), so
/// concurrent decoders with different settings do not interfere; dispose restores the previous values.
/// </summary>
internal sealed unsafe class ThreadLocalConfigScope : IDisposable
{
    private readonly List<(string Key, string? Previous)> _previous = [];

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> until dispose.</summary>
    public ThreadLocalConfigScope Set(string key, string value)
    {
        GdalLibrary.EnsureInitialized();
        var previous = Marshal.PtrToStringUTF8((nint)GdalNative.GetThreadLocalConfigOption(key, null));
        _previous.Add((key, previous));
        GdalNative.SetThreadLocalConfigOption(key, value);
        return this;
    }

    /// <summary>Restores the previous values, last set first.</summary>
    public void Dispose()
    {
        for (var i = _previous.Count - 1; i >= 0; i--)
        {
            GdalNative.SetThreadLocalConfigOption(_previous[i].Key, _previous[i].Previous);
        }

        _previous.Clear();
    }
}
