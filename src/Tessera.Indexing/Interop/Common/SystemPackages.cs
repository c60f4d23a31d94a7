namespace Tessera.Indexing.Interop.Common;

/// <summary>Which distribution package provides a shared library (by soname), for the install hints of load errors.</summary>
internal static class SystemPackages
{
    /// <summary>soname, Debian/Ubuntu package, Fedora/RHEL package.</summary>
    private static readonly (string Soname, string Debian, string Fedora)[] Known =
    [
        ("libgomp.so.1", "libgomp1", "libgomp"),
        ("libstdc++.so.6", "libstdc++6", "libstdc++"),
        ("libgcc_s.so.1", "libgcc-s1", "libgcc"),
        ("libgfortran.so.5", "libgfortran5", "libgfortran"),
        ("libquadmath.so.0", "libquadmath0", "libquadmath"),
        ("libopenblas.so.0", "libopenblas0", "openblas"),
        ("liblapack.so.3", "liblapack3", "lapack"),
        ("libblas.so.3", "libblas3", "blas"),
        ("libgdal.so.32", "libgdal32", "gdal-libs"),
    ];

    /// <summary>An install command line for <paramref name="soname"/>, or <see langword="null"/> when it is not known.</summary>
    /// <param name="soname">A file name such as <c>libgomp.so.1</c>.</param>
    /// <returns>For example <c>Debian/Ubuntu: apt-get install libgomp1; Fedora/RHEL: dnf install libgomp</c>.</returns>
    public static string? InstallHint(string soname)
    {
        foreach (var (name, debian, fedora) in Known)
        {
            if (string.Equals(name, soname, StringComparison.Ordinal))
            {
                return $"Debian/Ubuntu: apt-get install {debian}; Fedora/RHEL: dnf install {fedora}";
            }
        }

        return null;
    }
}
