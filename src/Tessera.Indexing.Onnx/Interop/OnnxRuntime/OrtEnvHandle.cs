using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.OnnxRuntime;

/// <summary>Owns an <c>OrtEnv*</c>; released with <c>ReleaseEnv</c>.</summary>
internal sealed class OrtEnvHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtEnvHandle()
        : base(ownsHandle: true)
    {
    }

    internal OrtEnvHandle(IntPtr existing)
        : base(ownsHandle: true)
    {
        SetHandle(existing);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseEnv(handle);
        return true;
    }
}
