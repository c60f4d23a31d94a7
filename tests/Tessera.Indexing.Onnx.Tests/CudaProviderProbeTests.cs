using Tessera.Indexing.Onnx.Runtime;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Onnx.Tests;

/// <summary>
/// The check that runs before ONNX Runtime is asked for CUDA, against shared libraries built here with gcc: a stand-in
/// <c>libonnxruntime_providers_cuda.so</c> that needs one library beside it (found through <c>$ORIGIN</c>), one that was
/// deleted, one whose own dependency was deleted, and libm; the dependency list is compared with binutils' readelf.
/// </summary>
public sealed class CudaProviderProbeTests : IDisposable
{
    private readonly TempDirectory _dir = new("cuda-probe");
    private readonly string _provider;

    public CudaProviderProbeTests()
    {
        File.WriteAllText(_dir.File("stub.c"), "int tessera_stub(void) { return 1; }\n");
        Gcc("-shared", "-fPIC", "-o", "libtessera_present.so.1", "-Wl,-soname,libtessera_present.so.1", "stub.c");
        Gcc("-shared", "-fPIC", "-o", "libtessera_absent.so.2", "-Wl,-soname,libtessera_absent.so.2", "stub.c");
        Gcc("-shared", "-fPIC", "-o", "libtessera_chain.so.3", "-Wl,-soname,libtessera_chain.so.3", "stub.c",
            "-Wl,--no-as-needed", "-L.", "-l:libtessera_absent.so.2", "-Wl,-rpath,$ORIGIN");
        Gcc("-shared", "-fPIC", "-o", CudaProviderProbe.ProviderLibrary, "stub.c",
            "-Wl,--no-as-needed", "-L.", "-l:libtessera_present.so.1", "-l:libtessera_absent.so.2", "-l:libtessera_chain.so.3", "-lm",
            "-Wl,-rpath,$ORIGIN");
        File.Delete(_dir.File("libtessera_absent.so.2"));
        _provider = _dir.File(CudaProviderProbe.ProviderLibrary);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Needed_libraries_and_run_path_are_read_as_readelf_reads_them()
    {
        var readelf = ProcessRunner.Run("readelf", ["-d", _provider], workingDirectory: null, TimeSpan.FromMinutes(1));
        var expected = readelf.StandardOutput.Split('\n')
            .Where(l => l.Contains("(NEEDED)", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('[', StringComparison.Ordinal) + 1)..l.LastIndexOf(']')])
            .ToArray();

        var dependencies = ElfDependencies.Read(_provider);

        Assert.NotNull(dependencies);
        Assert.Equal(expected, dependencies.Needed);
        Assert.Contains("libtessera_absent.so.2", dependencies.Needed);
        Assert.Equal([_dir.Path], dependencies.SearchPaths);
    }

    [Fact]
    public void Each_library_that_does_not_load_is_named_and_those_that_load_are_not()
    {
        var missing = CudaProviderProbe.FindMissingLibraries(_provider, ["libtessera_opened_at_run_time.so.9"]);

        Assert.Equal(3, missing.Count);
        Assert.Equal("libtessera_absent.so.2", missing[0]);
        Assert.StartsWith("libtessera_chain.so.3 (", missing[1], StringComparison.Ordinal);
        Assert.Contains("libtessera_absent.so.2: cannot open shared object file", missing[1], StringComparison.Ordinal);
        Assert.Equal("libtessera_opened_at_run_time.so.9", missing[2]);
    }

    [Fact]
    public void A_missing_provider_library_is_named_with_its_folder()
    {
        var missing = CudaProviderProbe.FindMissingLibraries(_dir.File("libnot_there.so"), []);

        var entry = Assert.Single(missing);
        Assert.Contains("libnot_there.so", entry, StringComparison.Ordinal);
        Assert.Contains(_dir.Path, entry, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_elf_has_no_dependencies()
    {
        File.WriteAllText(_dir.File("text.so"), "not an ELF file, just text that is long enough to fill a header ........");

        Assert.Null(ElfDependencies.Read(_dir.File("text.so")));
    }

    private void Gcc(params string[] args)
    {
        var result = ProcessRunner.Run("gcc", args, _dir.Path, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"gcc {string.Join(' ', args)} failed: {result.Output}");
    }
}
