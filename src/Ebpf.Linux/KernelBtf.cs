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
    public static unsafe SafeBpfHandle Load(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty) throw new ArgumentException("empty BTF", nameof(raw));
        Libc.TryRaiseMemlockLimit();
        int r = LoadOnce(raw, []);
        if (r >= 0) return SafeBpfHandle.FromKernel(r);
        // Again with a log, to say why.
        byte[] log = new byte[1 << 20];
        r = LoadOnce(raw, log);
        if (r >= 0) return SafeBpfHandle.FromKernel(r);
        int end = Array.IndexOf(log, (byte)0);
        string text = Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).TrimEnd();
        var errno = (Errno)(-r);
        if (text.Length == 0) throw BpfErrors.Create(errno, "load BTF", $"({raw.Length} bytes)");
        throw new BpfException($"load BTF ({raw.Length} bytes): {errno.Describe()}:\n{text}", errno);
    }

    private static unsafe int LoadOnce(ReadOnlySpan<byte> raw, byte[] log)
    {
        fixed (byte* p = raw, l = log)
        {
            var attr = new BtfLoadAttr
            {
                Btf = Bpf.Ptr(p),
                BtfSize = (uint)raw.Length,
                BtfLogBuf = log.Length == 0 ? 0 : Bpf.Ptr(l),
                BtfLogSize = (uint)log.Length,
                BtfLogLevel = log.Length == 0 ? 0u : 1u,
            };
            return Bpf.Invoke(BpfCommand.BtfLoad, ref attr);
        }
    }

    /// <summary>
    /// The smallest useful BTF: type 1 is a signed 4-byte "int". Enough for local storage maps (int key), whose
    /// creation demands BTF, and for probes.
    /// </summary>
    internal static byte[] IntOnly()
    {
        var b = new byte[24 + 16 + 5];
        var s = b.AsSpan();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(s, 0xeB9F);        // magic
        s[2] = 1;                                                                        // version
        WriteU32(s, 4, 24);                                                              // hdr_len
        WriteU32(s, 8, 0); WriteU32(s, 12, 16);                                          // type_off, type_len
        WriteU32(s, 16, 16); WriteU32(s, 20, 5);                                         // str_off, str_len
        WriteU32(s, 24, 1);                                                              // name_off: "int"
        WriteU32(s, 28, 1u << 24);                                                       // BTF_KIND_INT
        WriteU32(s, 32, 4);                                                              // size
        WriteU32(s, 36, (1u << 24) | 32);                                                // BTF_INT_SIGNED, 32 bits
        "\0int\0"u8.CopyTo(s[40..]);
        return b;

        static void WriteU32(Span<byte> span, int offset, uint value) =>
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], value);
    }
}
