namespace Tessera.Indexing.Diagnostics;

/// <summary>
/// A native library of Tessera (or one of its dependencies) could not be loaded. Thrown at the first
/// call into the library, after every place was tried (a user-set path, the app's
/// <c>runtimes/{rid}/native/</c> folder, the system's search path); <see cref="Exception.Message"/>
/// says which library, which missing file or version, which package provides it, and how to point
/// Tessera at a copy. It is a <see cref="DllNotFoundException"/>, so existing handlers still catch it.
/// </summary>
public sealed class NativeLibraryLoadException : DllNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="libraryName">The import name (for example <see cref="TesseraNativeLibraries.Faiss"/>).</param>
    /// <param name="missingDependency">The soname the dynamic linker could not find, when that was the cause.</param>
    /// <param name="remedy">What to do about it.</param>
    /// <param name="attempts">Each file tried, with the dynamic linker's message.</param>
    /// <param name="message">The whole explanation.</param>
    public NativeLibraryLoadException(string libraryName, string? missingDependency, string remedy, IReadOnlyList<string> attempts, string message)
        : base(message)
    {
        LibraryName = libraryName;
        MissingDependency = missingDependency;
        Remedy = remedy;
        Attempts = attempts;
    }

    /// <summary>The import name of the library that failed to load (for example <c>tessera_faiss</c>).</summary>
    public string LibraryName { get; }

    /// <summary>The shared library the dynamic linker could not find (for example <c>libgomp.so.1</c>), or <see langword="null"/> when the cause was something else.</summary>
    public string? MissingDependency { get; }

    /// <summary>What to do: the package to install, or the setting that points at a copy.</summary>
    public string Remedy { get; }

    /// <summary>Every file tried, each as <c>path: the dynamic linker's message</c>, in order.</summary>
    public IReadOnlyList<string> Attempts { get; }
}
