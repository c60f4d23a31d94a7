using System.Runtime.InteropServices;
using Tessera.Indexing.Interop.Common;

namespace Tessera.Indexing.Diagnostics;

/// <summary>The process the native libraries run in: operating system, C library, .NET runtime, processors.</summary>
public sealed class PlatformReport
{
    private PlatformReport()
    {
        OperatingSystem = RuntimeInformation.OSDescription;
        RuntimeIdentifier = RuntimeInformation.RuntimeIdentifier;
        Framework = RuntimeInformation.FrameworkDescription;
        GlibcVersion = System.OperatingSystem.IsLinux() ? DynamicLinker.LibcVersion() : null;
        ProcessorCount = Environment.ProcessorCount;
    }

    /// <summary>This process's platform (computed once).</summary>
    public static PlatformReport Current { get; } = new();

    /// <summary>The operating system, as the runtime describes it.</summary>
    public string OperatingSystem { get; }

    /// <summary>The runtime identifier (for example <c>linux-x64</c> or <c>debian.12-x64</c>); the packages carry native files for <c>linux-x64</c>.</summary>
    public string RuntimeIdentifier { get; }

    /// <summary>The .NET runtime (for example <c>.NET 10.0.12</c>).</summary>
    public string Framework { get; }

    /// <summary>glibc's version (the FAISS shim needs 2.34 or newer), or <see langword="null"/> when the C library is not glibc.</summary>
    public string? GlibcVersion { get; }

    /// <summary>Processors available to the process.</summary>
    public int ProcessorCount { get; }
}
