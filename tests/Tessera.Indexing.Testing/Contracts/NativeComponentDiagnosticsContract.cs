using Tessera.Indexing.Diagnostics;
using Xunit;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>
/// What every <see cref="INativeComponentDiagnostics"/> must do, from the interface's documentation: a stable,
/// non-empty name that its report carries; <see cref="INativeComponentDiagnostics.Diagnose"/> never throws and gives
/// the same answer each time, from any thread; a component that loads (as every one does on the machines that run
/// these tests) reports its version and the library file it loaded from.
/// </summary>
public abstract class NativeComponentDiagnosticsContract
{
    /// <summary>The component under test.</summary>
    /// <returns>A diagnostics contributor.</returns>
    protected abstract INativeComponentDiagnostics Create();

    /// <summary>The start of the library's file name (for example <c>libgdal.so</c>).</summary>
    protected abstract string LibraryFilePrefix { get; }

    [Fact]
    public void The_report_carries_the_components_name()
    {
        var component = Create();

        var report = component.Diagnose();

        Assert.False(string.IsNullOrWhiteSpace(component.Name));
        Assert.Equal(component.Name, report.Name);
        Assert.Equal(component.Name, Create().Name);
    }

    [Fact]
    public void A_component_that_loads_reports_its_version_and_the_file_it_loaded_from()
    {
        var report = Create().Diagnose();

        Assert.True(report.Status == NativeComponentStatus.Available, $"{report.Name}: {report.Problem} {report.Remedy}");
        Assert.False(string.IsNullOrWhiteSpace(report.Version));
        Assert.NotNull(report.LibraryPath);
        Assert.StartsWith(LibraryFilePrefix, Path.GetFileName(report.LibraryPath), StringComparison.Ordinal);
        Assert.True(File.Exists(report.LibraryPath), report.LibraryPath);
        Assert.Null(report.Problem);
    }

    [Fact]
    public async Task Diagnose_gives_the_same_answer_every_time_and_from_any_thread()
    {
        var component = Create();
        var first = component.Diagnose();

        var reports = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(component.Diagnose)));

        Assert.All(reports, r =>
        {
            Assert.Equal(first.Status, r.Status);
            Assert.Equal(first.Version, r.Version);
            Assert.Equal(first.LibraryPath, r.LibraryPath);
        });
    }

    [Fact]
    public void Details_have_distinct_non_empty_keys_and_values()
    {
        var report = Create().Diagnose();

        Assert.All(report.Details, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Key));
            Assert.False(string.IsNullOrWhiteSpace(d.Value));
        });
        Assert.Equal(report.Details.Count, report.Details.Select(d => d.Key).Distinct(StringComparer.Ordinal).Count());
    }
}
