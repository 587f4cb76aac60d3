using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Features;

/// <summary>
/// BTF objects for probes, loaded straight through <see cref="Bpf.LoadBtf"/>: probes sit below the live objects
/// (<see cref="KernelBtf"/> among them) and want an answer, not an exception.
/// </summary>
internal static class ProbeBtf
{
    /// <summary>Loads <paramref name="raw"/>; null, with the errno in <paramref name="error"/>, when the kernel refuses.</summary>
    internal static SafeBpfHandle? TryLoad(ReadOnlySpan<byte> raw, out Errno error)
    {
        Libc.TryRaiseMemlockLimit();
        int r = Bpf.LoadBtf(raw, []);
        error = r < 0 ? (Errno)(-r) : Errno.None;
        return r < 0 ? null : SafeBpfHandle.FromKernel(r);
    }

    /// <summary>
    /// The smallest useful BTF: type 1 is a signed 4-byte "int". Enough for local storage maps (int key), whose
    /// creation demands BTF.
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
