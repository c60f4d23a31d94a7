namespace Tessera.Indexing.Diagnostics;

/// <summary>What one native component reported: whether it loads, its version, its file, its settings, and what is wrong.</summary>
public sealed class NativeComponentReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="name">The component's name (for example <c>FAISS</c>).</param>
    /// <param name="status">Whether it can be used.</param>
    /// <param name="version">Its version, when known.</param>
    /// <param name="libraryPath">The file its library was loaded from, when known.</param>
    /// <param name="details">Further facts, in display order (for example <c>openmp.threads</c> = <c>2</c>); may be <see langword="null"/>.</param>
    /// <param name="problem">What is wrong, for a component that is not <see cref="NativeComponentStatus.Available"/>.</param>
    /// <param name="remedy">What to do about it.</param>
    public NativeComponentReport(
        string name,
        NativeComponentStatus status,
        string? version,
        string? libraryPath,
        IReadOnlyList<KeyValuePair<string, string>>? details,
        string? problem,
        string? remedy)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Status = status;
        Version = version;
        LibraryPath = libraryPath;
        Details = details ?? [];
        Problem = problem;
        Remedy = remedy;
    }

    /// <summary>The component's name.</summary>
    public string Name { get; }

    /// <summary>Whether it can be used.</summary>
    public NativeComponentStatus Status { get; }

    /// <summary>Its version, or <see langword="null"/> when unknown.</summary>
    public string? Version { get; }

    /// <summary>The file its library was loaded from, or <see langword="null"/> when unknown.</summary>
    public string? LibraryPath { get; }

    /// <summary>Further facts, in display order; keys are lower-case, dotted (<c>blas.threads</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; }

    /// <summary>What is wrong, or <see langword="null"/> for an available component.</summary>
    public string? Problem { get; }

    /// <summary>What to do about <see cref="Problem"/>, or <see langword="null"/>.</summary>
    public string? Remedy { get; }

    /// <summary>A report for a component that loaded and answered.</summary>
    /// <param name="name">The component's name.</param>
    /// <param name="version">Its version.</param>
    /// <param name="libraryPath">The file it loaded from.</param>
    /// <param name="details">Further facts; may be <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    public static NativeComponentReport Available(string name, string? version, string? libraryPath, IReadOnlyList<KeyValuePair<string, string>>? details = null) =>
        new(name, NativeComponentStatus.Available, version, libraryPath, details, null, null);

    /// <summary>A report for a component whose library, or a dependency of it, does not load.</summary>
    /// <param name="name">The component's name.</param>
    /// <param name="problem">Why (for example the dynamic linker's message).</param>
    /// <param name="remedy">What to install or set.</param>
    /// <returns>The report.</returns>
    public static NativeComponentReport Missing(string name, string problem, string? remedy) =>
        new(name, NativeComponentStatus.Missing, null, null, null, problem, remedy);

    /// <summary>A report for a component that loaded but did not answer as expected.</summary>
    /// <param name="name">The component's name.</param>
    /// <param name="problem">What went wrong.</param>
    /// <param name="remedy">What to do, when known.</param>
    /// <returns>The report.</returns>
    public static NativeComponentReport Faulted(string name, string problem, string? remedy) =>
        new(name, NativeComponentStatus.Faulted, null, null, null, problem, remedy);

    /// <summary>A <see cref="NativeComponentStatus.Missing"/> report from a load failure (its message and remedy).</summary>
    /// <param name="name">The component's name.</param>
    /// <param name="failure">The load failure.</param>
    /// <returns>The report.</returns>
    public static NativeComponentReport FromLoadFailure(string name, NativeLibraryLoadException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return Missing(name, failure.Message, failure.Remedy);
    }

    /// <summary>The value of detail <paramref name="key"/>, or <see langword="null"/>.</summary>
    /// <param name="key">A key of <see cref="Details"/>.</param>
    /// <returns>The value.</returns>
    public string? GetDetail(string key)
    {
        foreach (var (k, v) in Details)
        {
            if (string.Equals(k, key, StringComparison.Ordinal))
            {
                return v;
            }
        }

        return null;
    }
}
