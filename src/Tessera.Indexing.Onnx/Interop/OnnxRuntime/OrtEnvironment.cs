using System.Runtime.InteropServices;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>
/// The process-wide ONNX Runtime environment (one <c>OrtEnv</c>, as ONNX Runtime expects) and the CPU memory
/// description used for tensors over managed memory. Created on first use and kept for the life of the process.
/// </summary>
internal static unsafe class OrtEnvironment
{
    private const int LoggingLevelError = 3;
    private const int ArenaAllocator = 1;
    private const int MemTypeDefault = 0;

    private static readonly Lazy<State> Instance = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The environment.</summary>
    public static OrtEnvHandle Env => Instance.Value.Env;

    /// <summary>Describes CPU memory for <c>CreateTensorWithDataAsOrtValue</c>.</summary>
    public static OrtMemoryInfoHandle CpuMemoryInfo => Instance.Value.CpuMemoryInfo;

    /// <summary>Initialises the library and the environment; throws if either fails.</summary>
    public static void EnsureCreated() => _ = Instance.Value;

    /// <summary>The execution providers this build of ONNX Runtime was compiled with (<c>GetAvailableProviders</c>).</summary>
    public static string[] GetAvailableProviders()
    {
        EnsureCreated();
        byte** providers;
        int count;
        OrtStatus.Check(OrtApi.GetAvailableProviders(&providers, &count), "GetAvailableProviders");
        try
        {
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = Marshal.PtrToStringUTF8((IntPtr)providers[i]) ?? string.Empty;
            }

            return result;
        }
        finally
        {
            OrtStatus.Check(OrtApi.ReleaseAvailableProviders(providers, count), "ReleaseAvailableProviders");
        }
    }

    private static State Create()
    {
        OrtApi.EnsureInitialized();
        IntPtr env;
        fixed (byte* logId = "tessera\0"u8)
        {
            OrtStatus.Check(OrtApi.CreateEnv(LoggingLevelError, logId, &env), "CreateEnv");
        }

        var envHandle = new OrtEnvHandle(env);
        IntPtr memoryInfo;
        OrtStatus.Check(OrtApi.CreateCpuMemoryInfo(ArenaAllocator, MemTypeDefault, &memoryInfo), "CreateCpuMemoryInfo");
        return new State(envHandle, new OrtMemoryInfoHandle(memoryInfo));
    }

    private sealed record State(OrtEnvHandle Env, OrtMemoryInfoHandle CpuMemoryInfo);
}
