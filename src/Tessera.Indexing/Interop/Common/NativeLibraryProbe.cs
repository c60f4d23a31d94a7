using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Tessera.Indexing.Diagnostics;

namespace Tessera.Indexing.Interop.Common;

/// <summary>
/// Explains why a native library does not load: tries the same files the resolver tried, with
/// <c>dlopen</c>, and turns the dynamic linker's first message into a cause (a missing soname, a too
/// old glibc/libstdc++, a file that is not a linux-x64 library, no file at all) and a remedy (the
/// distribution package, the environment variable that points at a copy).
/// </summary>
internal static partial class NativeLibraryProbe
{
    private const int MaxAttemptsInMessage = 6;

    /// <summary>Builds the exception for <paramref name="libraryName"/>, which nothing could load.</summary>
    /// <param name="assembly">The assembly whose import failed (its folder is probed).</param>
    /// <param name="libraryName">The import name.</param>
    /// <param name="candidates">The file names registered for it, in order.</param>
    /// <returns>The explanation, ready to throw.</returns>
    public static NativeLibraryLoadException Explain(Assembly assembly, string libraryName, IReadOnlyList<string> candidates)
    {
        var attempts = new List<Attempt>();
        var userPath = TesseraNativeLibraries.GetUserPath(libraryName);
        if (userPath is not null)
        {
            Try(userPath, attempts);
        }

        foreach (var dir in NativeLibraryLoader.ProbeDirectories(assembly))
        {
            foreach (var candidate in candidates)
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full))
                {
                    Try(full, attempts);
                }
            }
        }

        foreach (var candidate in candidates)
        {
            Try(candidate, attempts); // the system's search path
        }

        return Explain(libraryName, candidates, userPath, attempts);
    }

    /// <summary>Builds the explanation from the attempts already made (separate so tests can feed linker messages).</summary>
    /// <param name="libraryName">The import name.</param>
    /// <param name="candidates">The registered file names.</param>
    /// <param name="userPath">The user-set path, if any.</param>
    /// <param name="attempts">Each file tried and the linker's message, in order.</param>
    /// <returns>The explanation.</returns>
    internal static NativeLibraryLoadException Explain(string libraryName, IReadOnlyList<string> candidates, string? userPath, IReadOnlyList<Attempt> attempts)
    {
        var fileName = candidates.Count > 0 ? candidates[0] : libraryName;
        var display = libraryName == TesseraNativeLibraries.Faiss ? $"the FAISS shim ({fileName})" : fileName;
        var variable = TesseraNativeLibraries.GetEnvironmentVariableName(libraryName);
        var pointAtCopy = $"point {variable} (or TesseraNativeLibraries.SetLibraryPath(\"{libraryName}\", path)) at a copy that loads";

        // A file that exists but does not load says more than a file that is not there.
        Attempt? found = null;
        foreach (var attempt in attempts)
        {
            if (attempt.FileExists)
            {
                found = attempt;
                break;
            }
        }

        string cause;
        string remedy;
        string? missing = null;
        if (found is { } f)
        {
            (cause, remedy, missing) = Classify(f, display);
            remedy = $"{remedy}, or {pointAtCopy}.";
        }
        else
        {
            cause = userPath is null
                ? $"no {fileName} was found"
                : $"{variable} / SetLibraryPath names {userPath}, which does not exist, and no other {fileName} was found";
            remedy = libraryName == TesseraNativeLibraries.Faiss
                ? "It ships in the Tessera.Indexing package under runtimes/linux-x64/native/ and is copied to the build output of a linux-x64 (glibc) app: "
                  + "check that the app runs as linux-x64 and that its output holds runtimes/linux-x64/native/libtessera_faiss.so "
                  + $"(in a repository checkout, scripts/setup.sh builds it into artifacts/native/linux-x64/); or {pointAtCopy}."
                : SystemPackages.InstallHint(fileName) is { } hint
                    ? $"Install it ({hint}), or {pointAtCopy}."
                    : $"Install it so the dynamic linker finds it (ldconfig, LD_LIBRARY_PATH), or {pointAtCopy}.";
        }

        var tried = new List<string>(attempts.Count);
        foreach (var attempt in attempts)
        {
            // dlopen's message usually starts with the file already.
            tried.Add(attempt.Error.StartsWith(attempt.File + ":", StringComparison.Ordinal) ? attempt.Error : $"{attempt.File}: {attempt.Error}");
        }

        var message = new StringBuilder()
            .Append("Tessera could not load ").Append(display).Append(": ").Append(cause).Append(". ")
            .Append(remedy);
        if (tried.Count > 0)
        {
            message.Append(" Tried: ");
            for (var i = 0; i < Math.Min(tried.Count, MaxAttemptsInMessage); i++)
            {
                message.Append(i == 0 ? string.Empty : "; ").Append(tried[i]);
            }

            if (tried.Count > MaxAttemptsInMessage)
            {
                message.Append("; and ").Append(tried.Count - MaxAttemptsInMessage).Append(" more");
            }

            message.Append('.');
        }

        return new NativeLibraryLoadException(libraryName, missing, remedy, tried, message.ToString());
    }

    /// <summary>Reads the dynamic linker's message for a file that exists but does not load.</summary>
    private static (string Cause, string Remedy, string? Missing) Classify(Attempt attempt, string display)
    {
        var error = attempt.Error;
        var match = CannotOpen().Match(error);
        if (match.Success)
        {
            var soname = match.Groups["file"].Value;
            var self = string.Equals(soname, attempt.File, StringComparison.Ordinal)
                || string.Equals(soname, Path.GetFileName(attempt.File), StringComparison.Ordinal);
            if (!self)
            {
                var hint = SystemPackages.InstallHint(soname);
                return (
                    $"{attempt.File} needs {soname}, which is not installed",
                    hint is null ? $"Install the package that provides {soname}" : $"Install it ({hint})",
                    soname);
            }
        }

        match = VersionNotFound().Match(error);
        if (match.Success)
        {
            var library = Path.GetFileName(match.Groups["lib"].Value);
            var version = match.Groups["version"].Value;
            var what = version.StartsWith("GLIBC_", StringComparison.Ordinal)
                ? $"glibc {DynamicLinker.LibcVersion() ?? "(unknown version)"} is older than {display} needs ({version}): it needs glibc 2.34 or newer (Debian 12, Ubuntu 22.04, RHEL 9 or newer)"
                : $"{library} is older than {display} needs ({version})";
            return ($"{what}", version.StartsWith("GLIBC_", StringComparison.Ordinal)
                ? "Run on a newer distribution, or build the library on this one (native/tessera_faiss, scripts/setup.sh)"
                : $"Upgrade {library}", null);
        }

        match = UndefinedSymbol().Match(error);
        if (match.Success)
        {
            return ($"{attempt.File} needs the symbol {match.Groups["symbol"].Value}, which the loaded libraries do not define (a dependency of another version)",
                "Install the dependency versions it was built against", null);
        }

        if (error.Contains("invalid ELF header", StringComparison.Ordinal) || error.Contains("file too short", StringComparison.Ordinal)
            || error.Contains("wrong ELF class", StringComparison.Ordinal) || error.Contains("ELF file", StringComparison.Ordinal))
        {
            return ($"{attempt.File} is not a shared library for this process (linux-x64): {error}",
                "Replace it with a linux-x64 build (a Git LFS pointer or a truncated download looks like this)", null);
        }

        return ($"{attempt.File} does not load: {error}", "Check its dependencies with `ldd " + attempt.File + "`", null);
    }

    private static void Try(string file, List<Attempt> attempts)
    {
        var error = DynamicLinker.TryOpen(file);
        if (error is not null)
        {
            // A bare soname is looked up on the system path, so it "exists" only when it has a slash.
            var exists = file.Contains('/', StringComparison.Ordinal) && File.Exists(file);
            attempts.Add(new Attempt(file, error, exists));
        }
    }

    [GeneratedRegex(@"^(?<file>[^:\s]+): cannot open shared object file")]
    private static partial Regex CannotOpen();

    [GeneratedRegex(@"^(?<lib>[^:]+): version [`'](?<version>[^']+)' not found")]
    private static partial Regex VersionNotFound();

    [GeneratedRegex(@"undefined symbol: (?<symbol>\S+)")]
    private static partial Regex UndefinedSymbol();

    /// <summary>One file tried.</summary>
    /// <param name="File">The path or soname given to <c>dlopen</c>.</param>
    /// <param name="Error">The dynamic linker's message.</param>
    /// <param name="FileExists">Whether the file itself exists (so the message is about its dependencies or contents).</param>
    internal readonly record struct Attempt(string File, string Error, bool FileExists);
}
