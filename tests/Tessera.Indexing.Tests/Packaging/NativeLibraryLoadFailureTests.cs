using System.Runtime.InteropServices;
using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Interop.Common;
using Tessera.Indexing.Testing;
using Attempt = Tessera.Indexing.Interop.Common.NativeLibraryProbe.Attempt;

namespace Tessera.Indexing.Tests.Packaging;

/// <summary>
/// A native library that does not load is explained at the first call: which library, which missing
/// soname or version, which package provides it, and how to point Tessera at a copy.
/// </summary>
public sealed partial class NativeLibraryLoadFailureTests
{
    private const string Shim = "/app/bin/runtimes/linux-x64/native/libtessera_faiss.so";

    [Fact]
    public void A_missing_dependency_is_named_with_its_debian_and_fedora_packages()
    {
        var e = NativeLibraryProbe.Explain(TesseraNativeLibraries.Faiss, ["libtessera_faiss.so"], null,
            [new Attempt(Shim, "libgomp.so.1: cannot open shared object file: No such file or directory", true)]);

        Assert.Equal("libgomp.so.1", e.MissingDependency);
        Assert.Equal(TesseraNativeLibraries.Faiss, e.LibraryName);
        Assert.Contains($"{Shim} needs libgomp.so.1, which is not installed", e.Message);
        Assert.Contains("apt-get install libgomp1", e.Remedy);
        Assert.Contains("dnf install libgomp", e.Remedy);
        Assert.Contains("TESSERA_FAISS_LIBRARY", e.Remedy);
        Assert.Contains("TesseraNativeLibraries.SetLibraryPath(\"tessera_faiss\", path)", e.Remedy);
        Assert.IsAssignableFrom<DllNotFoundException>(e);
    }

    [Fact]
    public void A_too_old_glibc_is_reported_with_the_version_the_shim_needs()
    {
        var e = NativeLibraryProbe.Explain(TesseraNativeLibraries.Faiss, ["libtessera_faiss.so"], null,
            [new Attempt(Shim, $"/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by {Shim})", true)]);

        Assert.Null(e.MissingDependency);
        Assert.Contains("GLIBC_2.34", e.Message);
        Assert.Contains("glibc 2.34 or newer", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_library_is_called_so()
    {
        var e = NativeLibraryProbe.Explain(TesseraNativeLibraries.Faiss, ["libtessera_faiss.so"], null,
            [new Attempt(Shim, $"{Shim}: invalid ELF header", true)]);

        Assert.Contains("is not a shared library for this process", e.Message);
        Assert.Contains("Git LFS pointer", e.Remedy);
    }

    [Fact]
    public void A_shim_found_nowhere_says_where_the_package_puts_it_and_how_to_point_at_a_copy()
    {
        var e = NativeLibraryProbe.Explain(TesseraNativeLibraries.Faiss, ["libtessera_faiss.so"], null,
            [new Attempt("libtessera_faiss.so", "libtessera_faiss.so: cannot open shared object file: No such file or directory", false)]);

        Assert.Null(e.MissingDependency);
        Assert.Contains("no libtessera_faiss.so was found", e.Message);
        Assert.Contains("runtimes/linux-x64/native/", e.Remedy);
        Assert.Contains("TESSERA_FAISS_LIBRARY", e.Remedy);
        Assert.Contains("Tried: libtessera_faiss.so: cannot open shared object file", e.Message);
    }

    [Fact]
    public void A_user_path_that_does_not_exist_is_named()
    {
        var e = NativeLibraryProbe.Explain(TesseraNativeLibraries.Faiss, ["libtessera_faiss.so"], "/opt/nothere/libtessera_faiss.so", []);

        Assert.Contains("TESSERA_FAISS_LIBRARY / SetLibraryPath names /opt/nothere/libtessera_faiss.so, which does not exist", e.Message);
    }

    [Fact]
    public void A_missing_system_library_is_named_with_its_package()
    {
        var e = NativeLibraryProbe.Explain("gdal", ["libgdal.so.32", "libgdal.so"], null,
            [new Attempt("libgdal.so.32", "libgdal.so.32: cannot open shared object file: No such file or directory", false)]);

        Assert.Contains("Tessera could not load libgdal.so.32", e.Message);
        Assert.Contains("apt-get install libgdal32", e.Remedy);
        Assert.Contains("TESSERA_GDAL_LIBRARY", e.Remedy);
    }

    [Fact]
    public void A_real_shim_copy_whose_dependency_is_missing_is_explained_from_the_dynamic_linkers_own_message()
    {
        using var dir = new TempDirectory("tessera-probe");
        var broken = BrokenShimCopy(dir.Path);
        TesseraNativeLibraries.SetLibraryPath("probe_broken_copy", broken);

        var e = NativeLibraryProbe.Explain(typeof(NativeLibraryLoadFailureTests).Assembly, "probe_broken_copy", ["libprobe_broken_copy.so"]);

        Assert.Equal("libgomq.so.1", e.MissingDependency);
        Assert.StartsWith($"{broken}: libgomq.so.1: cannot open shared object file", e.Attempts[0]);
        Assert.Contains("TESSERA_PROBE_BROKEN_COPY_LIBRARY", e.Remedy);
    }

    [Fact]
    public void The_first_call_into_a_library_that_loads_nowhere_throws_the_explanation()
    {
        NativeLibraryLoader.Register(typeof(NativeLibraryLoadFailureTests).Assembly, "probe_absent", "libprobe_absent.so");

        var e = Assert.Throws<NativeLibraryLoadException>(() => ProbeAbsent());

        Assert.Equal("probe_absent", e.LibraryName);
        Assert.Contains("no libprobe_absent.so was found", e.Message);
        Assert.Contains("TESSERA_PROBE_ABSENT_LIBRARY", e.Message);
    }

    [Fact]
    public void The_first_call_into_a_shim_whose_dependency_is_missing_names_the_dependency()
    {
        using var dir = new TempDirectory("tessera-probe");
        TesseraNativeLibraries.SetLibraryPath("probe_broken", BrokenShimCopy(dir.Path));
        NativeLibraryLoader.Register(typeof(NativeLibraryLoadFailureTests).Assembly, "probe_broken", "libprobe_broken.so");

        var e = Assert.Throws<NativeLibraryLoadException>(() => ProbeBrokenVersion());

        Assert.Equal("libgomq.so.1", e.MissingDependency);
        Assert.Contains("needs libgomq.so.1, which is not installed", e.Message);
        Assert.Contains("TESSERA_PROBE_BROKEN_LIBRARY", e.Message);
    }

    [Fact]
    public void The_faiss_shim_loads_here_through_the_same_probe()
    {
        Tessera.Indexing.Interop.Faiss.FaissNative.EnsureRegistered();

        Assert.True(NativeLibraryLoader.TryLoad(typeof(TesseraNativeLibraries).Assembly, TesseraNativeLibraries.Faiss, out var handle, out var failure), failure?.Message);
        Assert.NotEqual(IntPtr.Zero, handle);
    }

    /// <summary>A copy of the real shim whose DT_NEEDED libgomp.so.1 reads libgomq.so.1 (same length), which no system has.</summary>
    private static string BrokenShimCopy(string dir)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "artifacts", "native", "linux-x64", "libtessera_faiss.so"));
        var from = "libgomp.so.1\0"u8;
        var patched = 0;
        for (var at = bytes.AsSpan().IndexOf(from); at >= 0; at = bytes.AsSpan().IndexOf(from))
        {
            bytes[at + 6] = (byte)'q';
            patched++;
        }

        Assert.True(patched > 0, "libgomp.so.1 not found in the shim's strings");
        Assert.Contains("libgomq.so.1", ElfDynamicInfo.Parse(bytes).Needed);
        var path = Path.Combine(dir, "libtessera_faiss_broken.so");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [LibraryImport("probe_absent", EntryPoint = "probe_absent_function")]
    private static partial int ProbeAbsent();

    [LibraryImport("probe_broken", EntryPoint = "tf_get_max_threads")]
    private static partial int ProbeBrokenVersion();
}
