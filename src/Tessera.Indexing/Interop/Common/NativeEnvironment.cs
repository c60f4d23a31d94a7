using System.Runtime.InteropServices;

namespace Tessera.Indexing.Interop.Common;

/// <summary>
/// Sets defaults in the native process environment (what C libraries read with <c>getenv</c>);
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's own copy on Unix.
/// A variable the user set is never changed.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>
    /// Makes idle OpenMP threads (FAISS's training and search) sleep instead of spinning, unless the
    /// user chose otherwise (<c>OMP_WAIT_POLICY</c>). Spinning workers on a busy 2-core machine slowed
    /// FAISS training 6-10x (72 s spinning, 12 s passive, demo index under load). libgomp reads the
    /// setting when it loads, so this runs before the FAISS shim is loaded.
    /// </summary>
    public static void PreferPassiveOpenMpWaits() => SetDefault("OMP_WAIT_POLICY", "PASSIVE");

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> unless it is already set.</summary>
    /// <param name="name">The variable.</param>
    /// <param name="value">Its default.</param>
    public static void SetDefault(string name, string value)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(name) is not null)
        {
            return;
        }

        try
        {
            _ = SetEnv(name, value, overwrite: 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc setenv: keep the library's default.
        }
    }

    /// <summary>The native process's value of <paramref name="name"/> (what C libraries see), or <see langword="null"/>.</summary>
    /// <param name="name">The variable.</param>
    /// <returns>Its value.</returns>
    public static unsafe string? Get(string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Environment.GetEnvironmentVariable(name);
        }

        try
        {
            return Marshal.PtrToStringUTF8((IntPtr)GetEnv(name));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Environment.GetEnvironmentVariable(name);
        }
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial byte* GetEnv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
