using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Packaging;

/// <summary>
/// The FAISS shim that goes into the package is self-contained: FAISS, OpenBLAS and LAPACK are linked
/// in with their symbols hidden, so at run time it needs only glibc, libstdc++, libgcc_s and the
/// OpenMP runtime (libgomp, which cannot be linked statically into a shared object: GCC's libgomp.a
/// uses local-exec TLS).
/// </summary>
public sealed class FaissShimDependencyTests
{
    /// <summary>What the shim may need: glibc (libc, libm, the dynamic linker), the GCC runtime, OpenMP.</summary>
    internal static readonly string[] AllowedNeeded =
        ["libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2", "libstdc++.so.6", "libgcc_s.so.1", "libgomp.so.1"];

    private static string ShimPath => Path.Combine(RepositoryPaths.Root, "artifacts", "native", "linux-x64", "libtessera_faiss.so");

    [Fact]
    public void The_built_faiss_shim_needs_only_glibc_libstdcxx_libgcc_s_and_libgomp()
    {
        var elf = ElfDynamicInfo.Read(ShimPath);

        Assert.Empty(elf.Needed.Except(AllowedNeeded));
        Assert.Contains("libc.so.6", elf.Needed);
        Assert.Contains("libgomp.so.1", elf.Needed);
    }

    [Fact]
    public void The_built_faiss_shim_exports_only_its_tf_c_api()
    {
        var elf = ElfDynamicInfo.Read(ShimPath);

        Assert.Contains("tf_index_factory", elf.Exported);
        Assert.Contains("tf_info_blas_config", elf.Exported);
        Assert.DoesNotContain(elf.Exported, name => !name.StartsWith("tf_", StringComparison.Ordinal));
    }

    [Fact]
    public void The_elf_reader_finds_the_dependencies_of_a_system_library()
    {
        // The reader itself, against a library whose dependencies are known on any glibc system.
        var elf = ElfDynamicInfo.Read("/usr/lib/x86_64-linux-gnu/libm.so.6");

        Assert.Equal(["ld-linux-x86-64.so.2", "libc.so.6"], elf.Needed.Order(StringComparer.Ordinal));
        Assert.Contains("cos", elf.Exported);
    }

    [Fact]
    public void The_elf_reader_rejects_a_file_that_is_not_elf()
    {
        Assert.Throws<InvalidDataException>(() => ElfDynamicInfo.Parse("version https://git-lfs.github.com/spec/v1\n"u8.ToArray()));
    }
}
