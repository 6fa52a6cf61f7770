using System.Runtime.CompilerServices;

namespace Soci.Fuse.Protocol;

/// <summary>
/// Checks that every wire struct has the size linux/fuse.h gives it. A wrong size would make the kernel
/// reject replies (EINVAL) or misread them, so sessions refuse to start instead.
/// </summary>
internal static class WireLayout
{
    public static void AssertSizes()
    {
        Check<InHeader>(InHeader.Size);
        Check<OutHeader>(OutHeader.Size);
        Check<InitIn>(InitIn.Size);
        Check<InitOut>(InitOut.Size);
        Check<WireAttr>(WireAttr.Size);
        Check<EntryOut>(EntryOut.Size);
        Check<AttrOut>(AttrOut.Size);
        Check<WireStatx>(WireStatx.Size);
        Check<StatxOut>(StatxOut.Size);
        Check<StatxIn>(StatxIn.Size);
        Check<StatFsOut>(StatFsOut.Size);
        Check<DirentHeader>(DirentHeader.Size);
        Check<GetAttrIn>(GetAttrIn.Size);
        Check<OpenIn>(OpenIn.Size);
        Check<OpenOut>(OpenOut.Size);
        Check<ReadIn>(ReadIn.Size);
        Check<ReleaseIn>(ReleaseIn.Size);
        Check<ForgetIn>(ForgetIn.Size);
        Check<BatchForgetIn>(BatchForgetIn.Size);
        Check<ForgetOne>(ForgetOne.Size);
        Check<InterruptIn>(InterruptIn.Size);
        Check<GetXattrIn>(GetXattrIn.Size);
        Check<GetXattrOut>(GetXattrOut.Size);
        Check<AccessIn>(AccessIn.Size);
        Check<LseekIn>(LseekIn.Size);
        Check<LseekOut>(LseekOut.Size);
        Check<PollIn>(PollIn.Size);
        Check<PollOut>(PollOut.Size);
        Check<NotifyPollWakeupOut>(NotifyPollWakeupOut.Size);
    }

    private static void Check<T>(int expected) where T : unmanaged
    {
        var actual = Unsafe.SizeOf<T>();
        if (actual != expected)
        {
            throw new InvalidOperationException($"FUSE wire struct {typeof(T).Name} is {actual} bytes, expected {expected}");
        }
    }
}
