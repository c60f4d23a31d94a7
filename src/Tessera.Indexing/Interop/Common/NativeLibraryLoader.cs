using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Tessera.Indexing.Diagnostics;

namespace Tessera.Indexing.Interop.Common;

/// <summary>
/// Resolves the native libraries of the Tessera assemblies: a user-set path first
/// (<see cref="TesseraNativeLibraries.SetLibraryPath"/> or an environment variable), then the app's
/// <c>runtimes/{rid}/native/</c> folder and the assembly's own folder, then the system's search path.
/// The resolver never throws: an unresolved name falls back to the runtime's default probing. Only when
/// that fails too (the load context's <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/>, the
/// last chance) is the failure explained with a <see cref="NativeLibraryLoadException"/> naming the
/// missing file, its package and the setting that points at a copy, instead of the runtime's list of
/// probed paths.
/// </summary>
internal static class NativeLibraryLoader
{
    private static readonly ConcurrentDictionary<Assembly, ConcurrentDictionary<string, string[]>> Registrations = new();
    private static readonly ConcurrentDictionary<AssemblyLoadContext, bool> ExplainedContexts = new();

    /// <summary>Registers <paramref name="libraryName"/> (as used in <c>[LibraryImport]</c>) for <paramref name="assembly"/>.</summary>
    /// <param name="assembly">The assembly whose imports name the library.</param>
    /// <param name="libraryName">The import name.</param>
    /// <param name="candidates">File names to try, in order (e.g. <c>libgdal.so.32</c>, <c>libgdal.so</c>).</param>
    public static void Register(Assembly assembly, string libraryName, params string[] candidates)
    {
        var names = Registrations.GetOrAdd(assembly, static a =>
        {
            var map = new ConcurrentDictionary<string, string[]>(StringComparer.Ordinal);
            try
            {
                NativeLibrary.SetDllImportResolver(a, (name, asm, path) => Resolve(map, name, asm, path));
            }
            catch (InvalidOperationException)
            {
                // A resolver was already set for this assembly by the application; respect it.
            }
            return map;
        });
        names[libraryName] = candidates;
        var context = AssemblyLoadContext.GetLoadContext(assembly) ?? AssemblyLoadContext.Default;
        if (ExplainedContexts.TryAdd(context, true))
        {
            context.ResolvingUnmanagedDll += ExplainFailure;
        }
    }

    /// <summary>
    /// Loads <paramref name="libraryName"/> as a call into it would, without throwing: for diagnostics.
    /// </summary>
    /// <param name="assembly">The assembly that registered the name.</param>
    /// <param name="libraryName">The import name.</param>
    /// <param name="handle">The library's handle when it loads.</param>
    /// <param name="failure">Why it does not load, otherwise.</param>
    /// <returns>Whether it loads.</returns>
    public static bool TryLoad(Assembly assembly, string libraryName, out IntPtr handle, out NativeLibraryLoadException? failure)
    {
        failure = null;
        if (Registrations.TryGetValue(assembly, out var map) && map.TryGetValue(libraryName, out var candidates))
        {
            // A path the user set is the answer whether it loads or not: the resolver would fall back to
            // another copy silently, and a diagnosis must not. It is loaded once, here.
            handle = TesseraNativeLibraries.GetUserPath(libraryName) is { } userPath
                ? NativeLibrary.TryLoad(userPath, out var userHandle) ? userHandle : IntPtr.Zero
                : Resolve(map, libraryName, assembly, null);
            if (handle != IntPtr.Zero)
            {
                return true;
            }

            failure = NativeLibraryProbe.Explain(assembly, libraryName, candidates);
            return false;
        }

        if (NativeLibrary.TryLoad(libraryName, assembly, null, out handle))
        {
            return true;
        }

        failure = NativeLibraryProbe.Explain(assembly, libraryName, [libraryName]);
        return false;
    }

    // The runtime calls this after the resolver and its own probing both failed: nothing else will
    // find the library, so explaining why is all that is left. Names not registered here pass through.
    private static IntPtr ExplainFailure(Assembly assembly, string name)
    {
        if (Registrations.TryGetValue(assembly, out var map) && map.TryGetValue(name, out var candidates))
        {
            throw NativeLibraryProbe.Explain(assembly, name, candidates);
        }

        return IntPtr.Zero;
    }

    private static IntPtr Resolve(ConcurrentDictionary<string, string[]> map, string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        try
        {
            if (!map.TryGetValue(name, out var candidates))
            {
                return IntPtr.Zero;
            }

            var userPath = TesseraNativeLibraries.GetUserPath(name);
            if (userPath is not null && NativeLibrary.TryLoad(userPath, out var handle))
            {
                return handle;
            }

            foreach (var dir in ProbeDirectories(assembly))
            {
                foreach (var candidate in candidates)
                {
                    var full = Path.Combine(dir, candidate);
                    if (File.Exists(full) && NativeLibrary.TryLoad(full, out handle))
                    {
                        return handle;
                    }
                }
            }

            foreach (var candidate in candidates)
            {
                if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out handle))
                {
                    return handle;
                }
            }
        }
        catch (Exception)
        {
            // Never throw from a resolver: the runtime reports DllNotFoundException itself.
        }

        return IntPtr.Zero;
    }

    /// <summary>The folders searched before the system path: <c>runtimes/{rid}/native/</c> and the folder itself, of the app and of the assembly.</summary>
    /// <param name="assembly">The assembly whose imports are resolved.</param>
    /// <returns>The folders, in order.</returns>
    internal static IEnumerable<string> ProbeDirectories(Assembly assembly)
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var archRid = "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var roots = new List<string>(2) { AppContext.BaseDirectory };
        var assemblyDir = string.IsNullOrEmpty(assembly.Location) ? null : Path.GetDirectoryName(assembly.Location);
        if (assemblyDir is not null && !roots.Contains(assemblyDir))
        {
            roots.Add(assemblyDir);
        }

        foreach (var root in roots)
        {
            yield return Path.Combine(root, "runtimes", rid, "native");
            if (!string.Equals(rid, archRid, StringComparison.Ordinal))
            {
                yield return Path.Combine(root, "runtimes", archRid, "native");
            }
            yield return root;
        }
    }
}
