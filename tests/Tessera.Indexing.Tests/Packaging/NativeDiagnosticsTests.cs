using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Faiss;

namespace Tessera.Indexing.Tests.Packaging;

/// <summary><see cref="TesseraNativeLibraries.Diagnose"/>: what it reports about FAISS, SIMD and contributed components.</summary>
public sealed class NativeDiagnosticsTests
{
    [Fact]
    public void Diagnose_reports_faiss_available_with_its_version_and_the_file_it_loaded()
    {
        var faiss = TesseraNativeLibraries.Diagnose().Find("FAISS");

        Assert.NotNull(faiss);
        Assert.Equal(NativeComponentStatus.Available, faiss.Status);
        Assert.Equal(FaissIndex.FaissVersion, faiss.Version);
        Assert.NotNull(faiss.LibraryPath);
        Assert.Equal("libtessera_faiss.so", Path.GetFileName(faiss.LibraryPath));
        Assert.True(File.Exists(faiss.LibraryPath), faiss.LibraryPath);
        Assert.Null(faiss.Problem);
    }

    [Fact]
    public void Diagnose_reports_the_static_openblas_and_the_shared_openmp_runtime_of_the_shim()
    {
        var faiss = TesseraNativeLibraries.Diagnose().Find("FAISS")!;

        Assert.StartsWith("OpenBLAS ", faiss.GetDetail("blas.config"));
        Assert.Contains("blas=openblas-static", faiss.GetDetail("build"));
        Assert.False(string.IsNullOrEmpty(faiss.GetDetail("blas.core")));
        Assert.True(int.Parse(faiss.GetDetail("blas.threads")!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("libgomp.so.1", Path.GetFileName(faiss.GetDetail("openmp.library")));
        Assert.StartsWith("4.5 ", faiss.GetDetail("openmp.version")); // GCC 12 implements OpenMP 4.5 (201511)
    }

    [Fact]
    public void Diagnose_reports_the_openmp_threads_faiss_uses()
    {
        FaissIndex.MaxThreads = 1; // what the FAISS test classes use; results do not depend on it

        var faiss = TesseraNativeLibraries.Diagnose().Find("FAISS")!;

        Assert.Equal("1", faiss.GetDetail("openmp.threads"));
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), faiss.GetDetail("openmp.processors"));
    }

    [Fact]
    public void Diagnose_reports_the_native_openmp_wait_policy_set_when_faiss_loads()
    {
        var faiss = TesseraNativeLibraries.Diagnose().Find("FAISS")!;

        Assert.Equal(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "PASSIVE", faiss.GetDetail("env.OMP_WAIT_POLICY"));
    }

    [Fact]
    public void Diagnose_reports_the_simd_width_the_kernels_run_with_on_this_machine()
    {
        var simd = TesseraNativeLibraries.Diagnose().Simd;

        var expected = Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? 512
            : Vector256.IsHardwareAccelerated && Fma.IsSupported ? 256 : 0;
        Assert.Equal(expected, simd.KernelWidthBits);
        Assert.Equal(Vector512.IsHardwareAccelerated, simd.Vector512Accelerated);
        Assert.Equal(Avx2.IsSupported, simd.InstructionSets.Contains("AVX2"));
        Assert.Equal(AvxVnni.IsSupported, simd.InstructionSets.Contains("AVX-VNNI"));
    }

    [Fact]
    public void Diagnose_reports_the_platform_glibc()
    {
        var platform = TesseraNativeLibraries.Diagnose().Platform;

        Assert.Matches(@"^2\.\d+$", platform.GlibcVersion);
        Assert.Equal(Environment.ProcessorCount, platform.ProcessorCount);
    }

    [Fact]
    public void Diagnose_adds_the_components_other_packages_contribute_after_faiss()
    {
        var report = TesseraNativeLibraries.Diagnose([new FakeComponent("Fake", NativeComponentReport.Available("Fake", "9.9", "/opt/fake.so"))]);

        Assert.Equal(["FAISS", "Fake"], report.Components.Select(c => c.Name));
        Assert.Equal("9.9", report.Find("fake")!.Version);
        Assert.True(report.IsHealthy);
    }

    [Fact]
    public void A_missing_component_makes_the_report_unhealthy_and_its_text_carries_the_fix()
    {
        var missing = NativeComponentReport.Missing("GDAL", "libgdal.so.32: cannot open shared object file", "apt-get install libgdal32");

        var report = TesseraNativeLibraries.Diagnose([new FakeComponent("GDAL", missing)]);
        var text = report.ToString();

        Assert.False(report.IsHealthy);
        Assert.Contains("GDAL: MISSING", text);
        Assert.Contains("problem: libgdal.so.32: cannot open shared object file", text);
        Assert.Contains("fix: apt-get install libgdal32", text);
        Assert.Contains("FAISS: ok, version " + FaissIndex.FaissVersion, text);
        Assert.Contains("managed SIMD: ", text);
    }

    [Fact]
    public void A_contributor_that_throws_is_reported_as_faulted_instead_of_failing_the_report()
    {
        var report = TesseraNativeLibraries.Diagnose([new FakeComponent("Broken", null)]);

        var broken = report.Find("Broken")!;
        Assert.Equal(NativeComponentStatus.Faulted, broken.Status);
        Assert.Contains("InvalidOperationException: probe failed", broken.Problem);
        Assert.False(report.IsHealthy);
    }

    [Fact]
    public void TesseraDiagnostics_reports_the_components_registered_in_the_container()
    {
        var services = new ServiceCollection();
        services.AddSingleton<INativeComponentDiagnostics>(new FakeComponent("First", NativeComponentReport.Available("First", "1", null)));
        services.AddSingleton<INativeComponentDiagnostics>(new FakeComponent("Second", NativeComponentReport.Available("Second", "2", null)));
        using var provider = services.BuildServiceProvider();

        var report = ActivatorUtilities.CreateInstance<TesseraDiagnostics>(provider).Diagnose();

        Assert.Equal(["FAISS", "First", "Second"], report.Components.Select(c => c.Name));
    }

    [Theory]
    [InlineData(201511, "4.5 (201511)")]
    [InlineData(201811, "5.0 (201811)")]
    [InlineData(200805, "3.0 (200805)")]
    [InlineData(0, null)]
    public void The_openmp_date_is_reported_as_its_specification_version(int date, string? expected)
    {
        Assert.Equal(expected, FaissComponentDiagnostics.OpenMpVersion(date));
    }

    /// <summary>A contributed component with a canned report; <see langword="null"/> throws.</summary>
    private sealed class FakeComponent(string name, NativeComponentReport? report) : INativeComponentDiagnostics
    {
        public string Name => name;

        public NativeComponentReport Diagnose() => report ?? throw new InvalidOperationException("probe failed");
    }
}
