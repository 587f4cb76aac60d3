using System.Security.Cryptography;
using Ebpf.Asm;

namespace Ebpf;

/// <summary>
/// The kernel's program tag (<c>bpf_prog_calc_tag</c>): the first 8 bytes of a digest of the instructions as
/// submitted, with the immediates of map-referencing <c>lddw</c> pairs zeroed (map fds differ from load to load;
/// the pseudo-source register stays). Linux 6.18 hashes with SHA-256, older kernels with SHA-1.
/// </summary>
public static class ProgramTag
{
    /// <summary>Size of a tag in bytes (BPF_TAG_SIZE).</summary>
    public const int Size = 8;

    /// <summary>Computes the tag of <paramref name="instructions"/>.</summary>
    public static ulong Compute(ReadOnlySpan<Instruction> instructions, ProgramTagAlgorithm algorithm = ProgramTagAlgorithm.Sha256)
    {
        byte[] image = InstructionStream.Encode(instructions);
        for (int i = 0; i + 1 < instructions.Length; i++)
        {
            Instruction insn = instructions[i];
            if (!insn.IsLoadImm64) continue;
            if ((LoadImmediateSource)insn.Source is LoadImmediateSource.MapFd or LoadImmediateSource.MapValue)
            {
                image.AsSpan(i * Instruction.Size + 4, 4).Clear();
                image.AsSpan((i + 1) * Instruction.Size + 4, 4).Clear();
            }
            i++;
        }
        Span<byte> digest = stackalloc byte[32];
        int written = algorithm == ProgramTagAlgorithm.Sha1 ? SHA1.HashData(image, digest) : SHA256.HashData(image, digest);
        return written >= Size ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest) : 0;
    }

    /// <summary>The tag as bpftool prints it: 16 lowercase hex digits.</summary>
    public static string Format(ulong tag) => tag.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses bpftool's 16-hex-digit form (or the kernel's <c>fdinfo</c> <c>prog_tag</c>).</summary>
    /// <exception cref="FormatException">Not 16 hex digits.</exception>
    public static ulong Parse(string text) =>
        text.Length == 16 && ulong.TryParse(text, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out ulong tag)
            ? tag
            : throw new FormatException($"'{text}' is not a program tag (16 hex digits)");
}

/// <summary>Which digest a kernel uses for program tags.</summary>
public enum ProgramTagAlgorithm
{
    /// <summary>SHA-256: current kernels (Linux 6.18 here).</summary>
    Sha256,
    /// <summary>SHA-1: older kernels (5.x, 6.1, 6.12 and others before the switch).</summary>
    Sha1,
}
