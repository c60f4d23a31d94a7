using System.Diagnostics;

namespace Tessera.Indexing.Benchmarks.Onnx;

/// <summary>
/// The CLIP ViT-B/32-shaped image encoder with random weights (<c>benchmarks/models/clip_vit_b32_random.py</c>), written
/// on first use to <c>artifacts/models/clip-vit-b32-random.onnx</c> (about 350 MB, not committed) or taken from
/// <c>TESSERA_CLIP_MODEL</c>; and a stub with the same input and output and almost no compute
/// (<c>clip-io-stub.onnx</c>), to time the pipeline around the model.
/// </summary>
public static class ClipModel
{
    private const string Generator = "benchmarks/models/clip_vit_b32_random.py";

    /// <summary>The model file (or the stub), generated with Python's <c>onnx</c> when it does not exist yet.</summary>
    public static string EnsureGenerated(bool stub = false)
    {
        var configured = Environment.GetEnvironmentVariable("TESSERA_CLIP_MODEL");
        if (!stub && !string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"TESSERA_CLIP_MODEL names a missing file: {configured}");
        }

        var root = FindRepositoryRoot();
        var path = Path.Combine(root, "artifacts", "models", stub ? "clip-io-stub.onnx" : "clip-vit-b32-random.onnx");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Debian's Python, which has python3-onnx and python3-numpy (scripts/setup.sh installs them).
        var start = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(root, Generator));
        start.ArgumentList.Add(path);
        if (stub)
        {
            start.ArgumentList.Add("--stub");
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(path))
        {
            throw new InvalidOperationException($"{Generator} failed ({process.ExitCode}): {error}");
        }

        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Generator)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds {Generator}; set TESSERA_CLIP_MODEL.");
    }
}
