using System.IO.Compression;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Packaging;

/// <summary>
/// The packed <c>Tessera.Indexing</c> package carries the FAISS shim under runtimes/linux-x64/native/,
/// and a project that references only the <c>.nupkg</c> finds it at run time.
/// </summary>
public sealed class PackageConsumptionTests
{
    [Fact]
    public void A_project_referencing_the_packed_nupkg_creates_and_searches_a_faiss_index()
    {
        using var dir = new TempDirectory("tessera-pack");
        var feed = Directory.CreateDirectory(Path.Combine(dir.Path, "feed")).FullName;
        var app = Directory.CreateDirectory(Path.Combine(dir.Path, "app")).FullName;
        var version = $"0.0.0-pack{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";
        var project = Path.Combine(RepositoryPaths.Root, "src", "Tessera.Indexing", "Tessera.Indexing.csproj");

        var pack = ProcessRunner.Run(
            "dotnet",
            ["pack", project, "-c", RepositoryPaths.Configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}", "-nologo"],
            dir.Path,
            TimeSpan.FromMinutes(3));
        Assert.True(pack.ExitCode == 0, pack.Output);

        var nupkg = Path.Combine(feed, $"Tessera.Indexing.{version}.nupkg");
        using (var archive = ZipFile.OpenRead(nupkg))
        {
            Assert.Contains(archive.Entries, e => e.FullName == "runtimes/linux-x64/native/libtessera_faiss.so");
            Assert.Contains(archive.Entries, e => e.FullName == "lib/net10.0/Tessera.Indexing.xml");
            Assert.Contains(archive.Entries, e => e.FullName == "README.md");
            Assert.Contains(archive.Entries, e => e.FullName == "THIRD-PARTY-NOTICES.txt");

            // The packed shim needs nothing beyond glibc, the GCC runtime and libgomp.
            var shim = archive.GetEntry("runtimes/linux-x64/native/libtessera_faiss.so")!;
            using var bytes = new MemoryStream();
            using (var stream = shim.Open())
            {
                stream.CopyTo(bytes);
            }

            Assert.Empty(ElfDynamicInfo.Parse(bytes.ToArray()).Needed.Except(FaissShimDependencyTests.AllowedNeeded));

            using var reader = new StreamReader(archive.GetEntry("Tessera.Indexing.nuspec")!.Open());
            var nuspec = reader.ReadToEnd();
            Assert.Contains("<readme>README.md</readme>", nuspec);
            Assert.DoesNotContain("example.invalid", nuspec);
        }

        Assert.True(File.Exists(Path.Combine(feed, $"Tessera.Indexing.{version}.snupkg")), "no symbols package");

        ScratchApp.Configure(app, feed, Path.Combine(dir.Path, "packages"));
        File.WriteAllText(Path.Combine(app, "App.csproj"), ScratchApp.Project([("Tessera.Indexing", version)]));
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Tessera.Indexing.Faiss;
            var random = new Random(3);
            var data = new float[2000 * 16];
            for (var i = 0; i < data.Length; i++) data[i] = (float)random.NextDouble();
            using var index = FaissIndex.Create(16, "IVF8,Flat");
            index.Train(data);
            index.Add(data, Enumerable.Range(0, 2000).Select(i => 100L + i).ToArray());
            var hits = index.Search(data.AsSpan(16 * 5, 16), 3, nprobe: 8);
            Console.WriteLine($"faiss={FaissIndex.FaissVersion} count={index.Count} top={hits[0].Label}");
            """);

        var run = ProcessRunner.Run("dotnet", ["run", "-c", "Release", "-nologo"], app, TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("faiss=1.7.3 count=2000 top=105", run.Output);
        Assert.True(File.Exists(Path.Combine(app, "bin", "Release", "net10.0", "runtimes", "linux-x64", "native", "libtessera_faiss.so")), "the native library was not copied from the package");
    }

    [Fact]
    public void Packing_without_the_native_library_fails_with_an_error()
    {
        using var dir = new TempDirectory("tessera-pack");
        var project = Path.Combine(RepositoryPaths.Root, "src", "Tessera.Indexing", "Tessera.Indexing.csproj");

        var pack = ProcessRunner.Run(
            "dotnet",
            ["pack", project, "-c", RepositoryPaths.Configuration, "--no-build", "-o", dir.Path, $"-p:TesseraNativeDir={dir.Path}/no-native/", "-nologo"],
            dir.Path,
            TimeSpan.FromMinutes(3));

        Assert.NotEqual(0, pack.ExitCode);
        Assert.Contains("error TESSERA002", pack.Output);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.nupkg"));
    }
}
