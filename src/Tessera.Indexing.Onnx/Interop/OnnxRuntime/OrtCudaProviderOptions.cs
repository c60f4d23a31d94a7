using System.Runtime.InteropServices;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary><c>struct OrtCUDAProviderOptions</c> (the V1 options passed to <c>SessionOptionsAppendExecutionProvider_CUDA</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OrtCudaProviderOptions
{
    public int DeviceId;
    public int CudnnConvAlgoSearch;
    public nuint GpuMemLimit;
    public int ArenaExtendStrategy;
    public int DoCopyInDefaultStream;
    public int HasUserComputeStream;
    public IntPtr UserComputeStream;
    public IntPtr DefaultMemoryArenaCfg;
    public int TunableOpEnable;
    public int TunableOpTuningEnable;
    public int TunableOpMaxTuningDurationMs;

    /// <summary>The defaults of the C++ constructor in the header, for <paramref name="deviceId"/>.</summary>
    public static OrtCudaProviderOptions Default(int deviceId) => new()
    {
        DeviceId = deviceId,
        CudnnConvAlgoSearch = 0,
        GpuMemLimit = nuint.MaxValue,
        ArenaExtendStrategy = 0,
        DoCopyInDefaultStream = 1,
    };
}
