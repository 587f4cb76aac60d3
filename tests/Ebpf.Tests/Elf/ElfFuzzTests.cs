using System.Text;
using Ebpf.Asm.Formatting;
using Ebpf.Elf;
using Ebpf.Testing;

namespace Ebpf.Tests.Elf;

/// <summary>
/// Mutated real objects (bit flips, truncations, random header and section header fields): reading them either
/// succeeds or raises <see cref="ElfFormatException"/>; nothing else escapes and nothing hangs.
/// </summary>
public class ElfFuzzTests
{
    private const int MutationsPerObject = 600;

    public static TheoryData<string> Objects() => LlvmTools.ObjectData();

    [Theory]
    [MemberData(nameof(Objects))]
    public void MutatedObjects_RaiseOnlyElfFormatException(string name)
    {
        byte[] original = File.ReadAllBytes(RepoPaths.BpfObject(name));
        var random = new Random(name.Aggregate(17, (h, c) => h * 31 + c));
        // CPU time of this thread, not wall-clock: on a loaded machine other processes' time would count too.
        TimeSpan cpuStart = ThreadCpuTime.Now;
        int rejected = 0;
        for (int i = 0; i < MutationsPerObject; i++)
        {
            byte[] bytes = Mutate(original, random, out string how);
            try
            {
                Exercise(bytes);
            }
            catch (ElfFormatException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} ({how}) of {name} raised {e.GetType().Name}: {e}");
            }
        }
        Assert.True(rejected > 0, "no mutation was rejected");
        TimeSpan cpu = ThreadCpuTime.Now - cpuStart;
        Assert.True(cpu < TimeSpan.FromSeconds(60), $"{MutationsPerObject} mutations took {cpu} of CPU time");
    }

    // Everything a reader of an object does: parse, list programs, disassemble with symbols, read strings.
    private static void Exercise(byte[] bytes)
    {
        ElfFile elf = ElfFile.Read(bytes);
        foreach (BpfCodeSection section in BpfObjectPrograms.Read(elf))
        {
            var symbols = section.ToDisassemblySymbols(elf);
            var text = new StringBuilder();
            for (int i = 0; i < section.Instructions.Length; i++)
                ObjdumpFormatter.Format(section.Instructions, i, text, symbols, hexImmediates: (i & 1) == 0);
        }
        foreach (ElfSection s in elf.Sections)
            if (s.Type == ElfSectionType.StringTable && s.Data.Length > 0)
                elf.GetStringTable(s.Index).Get(0);
    }

    private static byte[] Mutate(byte[] original, Random random, out string how)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
                int flips = random.Next(1, 9);
                for (int f = 0; f < flips; f++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                how = $"{flips} bit flips";
                return bytes;
            case 1:
                int length = random.Next(bytes.Length);
                how = $"truncated to {length}";
                return bytes[..length];
            case 2:
            {
                // An ELF header field (e_shoff, e_shentsize, e_shnum, e_shstrndx, ...).
                int[] fields = [16, 18, 40, 58, 60, 62];
                int at = fields[random.Next(fields.Length)];
                WriteRandom(bytes, at, at == 40 ? 8 : 2, random);
                how = $"header field at {at}";
                return bytes;
            }
            default:
            {
                // A field of a random section header (name, type, flags, offset, size, link, info, entsize).
                ulong shoff = BitConverter.ToUInt64(bytes, 40);
                int shnum = BitConverter.ToUInt16(bytes, 60);
                int section = random.Next(shnum);
                int[] fields = [0, 4, 8, 24, 32, 40, 44, 56];
                int field = fields[random.Next(fields.Length)];
                int at = (int)shoff + section * 64 + field;
                WriteRandom(bytes, at, field is 0 or 4 or 40 or 44 ? 4 : 8, random);
                how = $"section header {section} field at +{field}";
                return bytes;
            }
        }
    }

    // Small, boundary or random values: each finds different bugs.
    private static void WriteRandom(byte[] bytes, int at, int size, Random random)
    {
        ulong value = random.Next(4) switch
        {
            0 => (ulong)random.Next(64),
            1 => ulong.MaxValue - (ulong)random.Next(4),
            2 => (ulong)bytes.Length - (ulong)random.Next(16),
            _ => (ulong)random.NextInt64(),
        };
        for (int i = 0; i < size && at + i < bytes.Length; i++) bytes[at + i] = (byte)(value >> (8 * i));
    }
}
