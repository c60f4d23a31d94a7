using System.Globalization;
using System.Text;

namespace Tessera.Indexing.Diagnostics;

/// <summary>
/// What <see cref="TesseraNativeLibraries.Diagnose"/> found: each native component, the managed SIMD
/// level and the platform. <see cref="ToString"/> renders it as text for a console (<c>tessera doctor</c>).
/// </summary>
public sealed class TesseraDiagnosticsReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="components">The components, in display order.</param>
    /// <param name="simd">The managed SIMD capabilities.</param>
    /// <param name="platform">The platform.</param>
    public TesseraDiagnosticsReport(IReadOnlyList<NativeComponentReport> components, SimdCapabilities simd, PlatformReport platform)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(simd);
        ArgumentNullException.ThrowIfNull(platform);
        Components = components;
        Simd = simd;
        Platform = platform;
    }

    /// <summary>Every native component, core's first.</summary>
    public IReadOnlyList<NativeComponentReport> Components { get; }

    /// <summary>The managed SIMD capabilities.</summary>
    public SimdCapabilities Simd { get; }

    /// <summary>The platform.</summary>
    public PlatformReport Platform { get; }

    /// <summary>Whether every component is <see cref="NativeComponentStatus.Available"/>.</summary>
    public bool IsHealthy
    {
        get
        {
            foreach (var component in Components)
            {
                if (component.Status != NativeComponentStatus.Available)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The component named <paramref name="name"/> (ordinal, case-insensitive), or <see langword="null"/>.</summary>
    /// <param name="name">A component name such as <c>FAISS</c>.</param>
    /// <returns>Its report.</returns>
    public NativeComponentReport? Find(string name)
    {
        foreach (var component in Components)
        {
            if (string.Equals(component.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return component;
            }
        }

        return null;
    }

    /// <summary>The report as indented text, one component per block, problems with their remedies.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        var p = Platform;
        text.Append("platform: ").Append(p.OperatingSystem).Append(", ").Append(p.RuntimeIdentifier).Append(", ").Append(p.Framework)
            .Append(", glibc ").Append(p.GlibcVersion ?? "none").Append(", ")
            .Append(p.ProcessorCount.ToString(CultureInfo.InvariantCulture)).AppendLine(" processors");
        text.Append("managed SIMD: ").Append(Simd.KernelLevel).Append(" (").Append(string.Join(' ', Simd.InstructionSets)).AppendLine(")");
        foreach (var component in Components)
        {
            var status = component.Status switch
            {
                NativeComponentStatus.Available => "ok",
                NativeComponentStatus.Missing => "MISSING",
                _ => "FAULTED",
            };
            text.Append(component.Name).Append(": ").Append(status);
            if (component.Version is not null)
            {
                text.Append(", version ").Append(component.Version);
            }

            text.AppendLine();
            if (component.LibraryPath is not null)
            {
                text.Append("  library: ").AppendLine(component.LibraryPath);
            }

            foreach (var (key, value) in component.Details)
            {
                text.Append("  ").Append(key).Append(": ").AppendLine(value);
            }

            if (component.Problem is not null)
            {
                text.Append("  problem: ").AppendLine(component.Problem);
            }

            if (component.Remedy is not null)
            {
                text.Append("  fix: ").AppendLine(component.Remedy);
            }
        }

        return text.ToString();
    }
}
