using System.Runtime.InteropServices;
using Tessera.Indexing.Faiss;

namespace Tessera.Indexing.Tests.Faiss;

public sealed partial class FaissOpenMpTests
{
    [Fact]
    public void Loading_faiss_makes_idle_openmp_threads_passive_unless_the_user_chose()
    {
        _ = FaissIndex.MaxThreads; // loads the shim (and libgomp)
        var native = Marshal.PtrToStringUTF8(GetEnv("OMP_WAIT_POLICY"));

        var expected = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "PASSIVE";
        Assert.Equal(expected, native);
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
