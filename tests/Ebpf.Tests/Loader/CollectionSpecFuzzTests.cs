using System.Diagnostics;
using Ebpf.Btf;
using Ebpf.Elf;
using Ebpf.Testing;

namespace Ebpf.Tests.Loader;

/// <summary>
/// Mutated real objects (bit flips and byte overwrites aimed at section headers, the symbol table, relocations,
/// code, .maps, .BTF and .BTF.ext, plus truncations): <see cref="CollectionSpec.Load(byte[], CollectionLoadOptions?)"/>
/// either succeeds or raises <see cref="ObjectFormatException"/> (ELF, BTF, relocation and CO-RE errors all are);
/// nothing else escapes and no input hangs. Deterministic seeds, bounded time.
/// </summary>
public class CollectionSpecFuzzTests
{
    private const int MutationsPerObject = 300;
    private static readonly Lazy<BtfSpec?> Vmlinux = new(() =>
        File.Exists(BpftoolOracle.Vmlinux) ? BtfReader.Parse(File.ReadAllBytes(BpftoolOracle.Vmlinux)) : null);

    public static TheoryData<string> Objects() => BpftoolOracle.Objects();

    [Theory]
    [MemberData(nameof(Objects))]
    public async Task MutatedObjects_RaiseOnlyObjectFormatException(string relative)
    {
        byte[] original = File.ReadAllBytes(RepoPaths.BpfObject(relative));
        (int Start, int Length)[] regions = Regions(original);
        var options = new CollectionLoadOptions { TargetBtf = Vmlinux.Value, KernelConfig = new Dictionary<string, string>() };
        var random = new Random(relative.Aggregate(23, (h, c) => (h * 31) + c));
        var clock = Stopwatch.StartNew();
        int rejected = 0, accepted = 0;
        for (int i = 0; i < MutationsPerObject && clock.Elapsed < TimeSpan.FromSeconds(25); i++)
        {
            byte[] bytes = Mutate(original, regions, random, out string how);
            Task<Exception?> run = Task.Run(() =>
            {
                try
                {
                    CollectionSpec spec = CollectionSpec.Load(bytes, options);
                    foreach (ProgramSpec p in spec.Programs) _ = p.ComputeTag();
                    _ = ObjectSummary.From(spec);
                    return null;
                }
                catch (Exception e) { return e; }
            }, TestContext.Current.CancellationToken);
            Exception? outcome;
            // A hang detector, not a speed limit: the bound also counts the wait for a thread-pool thread, which on a
            // loaded 2-CPU machine running parallel tests can take seconds; a loader that loops never finishes at all.
            try { outcome = await run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken); }
            catch (TimeoutException) { Assert.Fail($"mutation {i} ({how}) of {relative} did not finish in 60 s"); throw; }
            switch (outcome)
            {
                case null: accepted++; break;
                case ObjectFormatException e: Assert.False(string.IsNullOrWhiteSpace(e.Message)); rejected++; break;
                case Exception e: Assert.Fail($"mutation {i} ({how}) of {relative} raised {e.GetType().Name}: {e}"); break;
            }
        }
        Assert.True(rejected > 0, $"no mutation of {relative} was rejected ({accepted} accepted)");
    }

    // Byte ranges worth hitting: the section header table and the sections a loader reads.
    private static (int Start, int Length)[] Regions(byte[] image)
    {
        ElfFile elf = ElfFile.Read(image);
        var regions = new List<(int, int)>();
        ulong shoff = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(40));
        regions.Add(((int)shoff, image.Length - (int)shoff));
        foreach (ElfSection s in elf.Sections)
        {
            bool interesting = s.Type is ElfSectionType.SymbolTable or ElfSectionType.Relocations || s.IsExecutable
                || s.Name is ".maps" or ".BTF" or ".BTF.ext" or "maps" or "license" || s.Name.StartsWith(".data", StringComparison.Ordinal)
                || s.Name.StartsWith(".rodata", StringComparison.Ordinal);
            if (interesting && s.Data.Length > 0 && !s.Name.StartsWith(".rel.debug", StringComparison.Ordinal))
                regions.Add(((int)s.Offset, s.Data.Length));
        }
        return [.. regions];
    }

    private static byte[] Mutate(byte[] original, (int Start, int Length)[] regions, Random random, out string how)
    {
        byte[] bytes = (byte[])original.Clone();
        (int start, int length) = regions[random.Next(regions.Length)];
        switch (random.Next(4))
        {
            case 0:
            {
                int flips = random.Next(1, 5);
                for (int f = 0; f < flips; f++) bytes[start + random.Next(length)] ^= (byte)(1 << random.Next(8));
                how = $"{flips} bit flips in [{start}, +{length})";
                return bytes;
            }
            case 1:
            {
                // A whole 32-bit word replaced by a boundary value: ids, offsets, sizes and counts.
                int at = start + (random.Next(Math.Max(1, length / 4)) * 4);
                if (at + 4 > bytes.Length) at = bytes.Length - 4;
                uint[] values = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, (uint)random.Next(), 0xffff, 8];
                uint value = values[random.Next(values.Length)];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
                how = $"word at {at} = 0x{value:x}";
                return bytes;
            }
            case 2:
            {
                int at = start + random.Next(length);
                bytes[at] = (byte)random.Next(256);
                how = $"byte at {at}";
                return bytes;
            }
            default:
            {
                int cut = start + random.Next(length);
                how = $"truncated to {cut}";
                return bytes[..cut];
            }
        }
    }
}
