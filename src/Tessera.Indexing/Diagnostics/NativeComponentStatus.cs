namespace Tessera.Indexing.Diagnostics;

/// <summary>Whether a native component can be used.</summary>
public enum NativeComponentStatus
{
    /// <summary>Its library loaded and answered.</summary>
    Available = 0,

    /// <summary>Its library, or a library it needs, could not be loaded; <see cref="NativeComponentReport.Remedy"/> says what to install or set.</summary>
    Missing = 1,

    /// <summary>Its library loaded but did not answer as expected (an old build, a failing call).</summary>
    Faulted = 2,
}
