using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// BTF in the kernel: loading raw BTF (BPF_BTF_LOAD) for maps and programs that need type information, and reading the
/// kernel's own BTF and loaded BTF objects back as <see cref="Ebpf.Btf.BtfSpec"/>s.
/// </summary>
public static partial class KernelBtf
{
    /// <summary>Loads raw BTF (header, types, strings, as <c>Ebpf.Btf.BtfWriter</c> or an object's .BTF section holds it).</summary>
    /// <returns>The BTF object's fd.</returns>
    /// <exception cref="BpfException">The kernel refused the BTF; the message carries the kernel's BTF log.</exception>
    public static SafeBpfHandle Load(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty) throw new ArgumentException("empty BTF", nameof(raw));
        Libc.TryRaiseMemlockLimit();
        int r = Bpf.LoadBtf(raw, []);
        if (r >= 0) return SafeBpfHandle.FromKernel(r);
        // Again with a log, to say why.
        byte[] log = new byte[1 << 20];
        r = Bpf.LoadBtf(raw, log);
        if (r >= 0) return SafeBpfHandle.FromKernel(r);
        int end = Array.IndexOf(log, (byte)0);
        string text = Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).TrimEnd();
        var errno = (Errno)(-r);
        if (text.Length == 0) throw BpfErrors.Create(errno, "load BTF", $"({raw.Length} bytes)");
        throw new BpfException($"load BTF ({raw.Length} bytes): {errno.Describe()}:\n{text}", errno);
    }
}
