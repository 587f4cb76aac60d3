namespace Ebpf.Linux.Interop;

internal static unsafe partial class Bpf
{
    /// <summary>
    /// BPF_BTF_LOAD of <paramref name="raw"/>; the kernel's BTF log goes to <paramref name="log"/> when it is not
    /// empty. Returns the new fd or -errno. Here, below both users, so <see cref="KernelBtf"/> (which turns errors
    /// into exceptions) and the feature probes (which only want an answer) share one call.
    /// </summary>
    internal static int LoadBtf(ReadOnlySpan<byte> raw, Span<byte> log)
    {
        fixed (byte* p = raw, l = log)
        {
            var attr = new BtfLoadAttr
            {
                Btf = Ptr(p),
                BtfSize = (uint)raw.Length,
                BtfLogBuf = log.IsEmpty ? 0 : Ptr(l),
                BtfLogSize = (uint)log.Length,
                BtfLogLevel = log.IsEmpty ? 0u : 1u,
            };
            return Invoke(BpfCommand.BtfLoad, ref attr);
        }
    }
}
