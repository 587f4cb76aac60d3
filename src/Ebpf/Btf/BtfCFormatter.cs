using System.Text;

namespace Ebpf.Btf;

/// <summary>
/// Writes BTF as a C header, the <c>vmlinux.h</c> that <c>bpftool btf dump file /sys/kernel/btf/vmlinux format c</c>
/// produces: every type in id order, each preceded by the types it needs (topologically sorted, with forward
/// declarations where pointers close a cycle), inside the <c>preserve_access_index</c> pragma that makes clang
/// record CO-RE relocations for every field access.
/// </summary>
/// <remarks>
/// The output follows libbpf 1.1's <c>btf_dump</c> (bpftool 7.1) byte for byte: duplicate struct/union/enum
/// names and typedef/enumerator identifiers get a <c>___N</c> suffix in order of first use, explicit padding
/// bitfields keep layouts the compiler would not reproduce on its own, and structs whose layout is not natural
/// get <c>__attribute__((packed))</c>. Functions, variables, data sections and declaration tags are not written.
/// The reference is the libbpf inside bpftool 7.1 (Linux 6.1 stable): prototypes without parameters read
/// <c>(void)</c>, and enums get no <c>mode(byte)</c>/<c>mode(word)</c> size attribute unless
/// <see cref="BtfCFormatOptions.EnumModeAttributes"/> asks for it. Each call keeps its own state, so concurrent calls are safe.
/// </remarks>
public static class BtfCFormatter
{
    // The writer flushes to the TextWriter in chunks of about this many characters.
    private const int FlushThreshold = 1 << 16;

    /// <summary>Writes the header for every type of <paramref name="spec"/> (and its base, for split BTF).</summary>
    /// <exception cref="BtfFormatException">The types cannot be expressed in C (a cycle not broken by a pointer).</exception>
    public static void Write(BtfSpec spec, TextWriter output, BtfCFormatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        var text = new StringBuilder(FlushThreshold * 2);
        WriteTo(spec, text, options ?? BtfCFormatOptions.Default, chunk =>
        {
            if (chunk.Length < FlushThreshold) return;
            foreach (ReadOnlyMemory<char> part in chunk.GetChunks()) output.Write(part.Span);
            chunk.Clear();
        });
        foreach (ReadOnlyMemory<char> part in text.GetChunks()) output.Write(part.Span);
    }

    /// <summary>The header for every type of <paramref name="spec"/> as one string.</summary>
    /// <exception cref="BtfFormatException">The types cannot be expressed in C (a cycle not broken by a pointer).</exception>
    public static string Format(BtfSpec spec, BtfCFormatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder(1 << 20);
        WriteTo(spec, text, options ?? BtfCFormatOptions.Default, static _ => { });
        return text.ToString();
    }

    private static void WriteTo(BtfSpec spec, StringBuilder text, BtfCFormatOptions options, Action<StringBuilder> afterType)
    {
        string guard = options.HeaderGuard;
        text.Append("#ifndef ").Append(guard).Append('\n')
            .Append("#define ").Append(guard).Append("\n\n")
            .Append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n")
            .Append("#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n")
            .Append("#endif\n\n");
        var dumper = new BtfCDumper(spec, text, options.EnumModeAttributes);
        // bpftool starts at 1 even for split BTF, so a module's header also carries the base types it uses.
        for (uint id = 1; id < (uint)spec.TypeCount; id++)
        {
            dumper.DumpType(id);
            afterType(text);
        }
        text.Append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n")
            .Append("#pragma clang attribute pop\n")
            .Append("#endif\n\n")
            .Append("#endif /* ").Append(guard).Append(" */\n");
    }
}
