using Tessera.Indexing.Tests.Faiss;

/// <summary>
/// A .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>) that turns this test assembly into the fuzz
/// test's child process: <c>dotnet exec Tessera.Indexing.Tests.dll</c> with the hook set runs
/// <see cref="FaissFuzzHost"/> and exits before the (empty) generated entry point. Without
/// <see cref="FaissFuzzHost.ModeVariable"/> set it does nothing.
/// </summary>
#pragma warning disable CA1050 // The runtime looks the hook up by this exact name in the global namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        var mode = Environment.GetEnvironmentVariable(FaissFuzzHost.ModeVariable);
        if (!string.IsNullOrEmpty(mode))
        {
            Environment.Exit(FaissFuzzHost.Run(mode));
        }
    }
}
