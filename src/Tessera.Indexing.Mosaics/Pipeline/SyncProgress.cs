namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>An <see cref="IProgress{T}"/> that calls its handler on the reporting thread, at once (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
