using System.Runtime.InteropServices;

namespace Tessera.Indexing.Interop.Common;

/// <summary>
/// glibc's <c>dlopen</c>/<c>dlerror</c>, used only to explain a failed load: unlike
/// <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/> it returns the dynamic linker's own message
/// (e.g. <c>libgomp.so.1: cannot open shared object file: No such file or directory</c>).
/// </summary>
internal static unsafe partial class DynamicLinker
{
    private const int RtldNow = 2;

    /// <summary>Opens <paramref name="file"/> (a path or a bare soname), closes it again, and returns the linker's error, or <see langword="null"/> when it loads.</summary>
    /// <param name="file">A full path, or a soname searched on the system's library path.</param>
    /// <returns><see langword="null"/> when it loads; the <c>dlerror</c> text when not; a note when <c>dlopen</c> itself is unavailable.</returns>
    public static string? TryOpen(string file)
    {
        try
        {
            _ = DlError(); // clear a stale error
            var handle = DlOpen(file, RtldNow);
            if (handle != IntPtr.Zero)
            {
                _ = DlClose(handle);
                return null;
            }

            var error = DlError();
            return error == null ? "dlopen failed without a message" : Marshal.PtrToStringUTF8((IntPtr)error);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: fall back to the runtime's own loader and its message.
            if (NativeLibrary.TryLoad(file, out var handle))
            {
                NativeLibrary.Free(handle);
                return null;
            }

            return "could not be loaded (no dlerror on this system)";
        }
    }

    /// <summary>glibc's version (<c>gnu_get_libc_version</c>, e.g. <c>2.36</c>), or <see langword="null"/> when the C library is not glibc.</summary>
    /// <returns>The version string.</returns>
    public static string? LibcVersion()
    {
        try
        {
            return Marshal.PtrToStringUTF8((IntPtr)GnuGetLibcVersion());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "gnu_get_libc_version")]
    private static partial byte* GnuGetLibcVersion();

    // libdl.so.2 exists on every glibc: the real functions before 2.34, forwarders into libc since.
    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlOpen(string file, int mode);

    [LibraryImport("libdl.so.2", EntryPoint = "dlerror")]
    private static partial byte* DlError();

    [LibraryImport("libdl.so.2", EntryPoint = "dlclose")]
    private static partial int DlClose(IntPtr handle);
}
