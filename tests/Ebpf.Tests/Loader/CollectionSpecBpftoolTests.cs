using Ebpf.Btf;
using Ebpf.Testing;

namespace Ebpf.Tests.Loader;

/// <summary>
/// The kernel is the oracle: every object under bpf/ is loaded by <c>bpftool prog loadall</c> (libbpf), and each
/// program's tag (a digest of the instructions as submitted) must equal the tag of our relocated instructions, and
/// each map the kernel created must equal our <see cref="MapSpec"/>.
/// </summary>
public class CollectionSpecBpftoolTests
{
    private static readonly Lazy<BtfSpec> Vmlinux = new(() => BtfReader.Parse(File.ReadAllBytes(BpftoolOracle.Vmlinux)));

    public static TheoryData<string> Objects() => BpftoolOracle.Objects();

    private static CollectionSpec Load(string relative)
    {
        if (!File.Exists(BpftoolOracle.Vmlinux)) Assert.Skip($"{BpftoolOracle.Vmlinux} is absent: CO-RE objects need the kernel's BTF");
        // bpftool 7.1 here carries the libbpf of Linux 6.1, which makes every global data map mmapable.
        return CollectionSpec.LoadFile(RepoPaths.BpfObject(relative),
            new CollectionLoadOptions { TargetBtf = Vmlinux.Value, GlobalDataMmap = GlobalDataMmap.Always });
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void ProgramTags_EqualBpftoolLoadall(string relative)
    {
        CollectionSpec spec = Load(relative);
        BpftoolOracle.Result kernel = BpftoolOracle.LoadAll(RepoPaths.BpfObject(relative), spec.Maps.Where(m => m.Pinning == MapPinning.ByName).Select(m => m.Name));
        if (!kernel.Loaded)
        {
            SkipWhereTheOracleCannotLoad(relative, kernel.Error);
            // libbpf 1.0+ refuses the legacy "maps" section; those objects are checked against hand-written expectations.
            Assert.True(spec.Maps.Any(m => m.Kind == MapKind.Legacy), $"bpftool could not load {relative}: {kernel.Error}");
            return;
        }
        Assert.Equal(spec.Programs.Where(p => p.AutoLoad).Select(p => p.Name).Order(StringComparer.Ordinal),
            kernel.Programs.Select(p => p.PinName).Order(StringComparer.Ordinal));
        // The running kernel's digest (SHA-1 before the switch to SHA-256), picked by checking one loaded program:
        // the other programs must then all agree with it.
        ProgramSpec first = spec.GetProgram(kernel.Programs[0].PinName);
        ProgramTagAlgorithm algorithm = kernel.Programs[0].Tag == ProgramTag.Format(first.ComputeTag(ProgramTagAlgorithm.Sha1))
            ? ProgramTagAlgorithm.Sha1 : ProgramTagAlgorithm.Sha256;
        foreach (BpftoolOracle.LoadedProgram loaded in kernel.Programs)
        {
            ProgramSpec program = spec.GetProgram(loaded.PinName);
            // The kernel keeps 15 characters of a name; bpftool shows the full one from the program's BTF.
            Assert.Equal(loaded.Name.Length > 15 ? loaded.Name[..15] : loaded.Name, program.KernelName);
            Assert.True(loaded.Tag == ProgramTag.Format(program.ComputeTag(algorithm)),
                $"{relative}:{program.Name}: bpftool tag {loaded.Tag}, ours {ProgramTag.Format(program.ComputeTag(algorithm))} ({algorithm}, {program.Instructions.Length} instructions)");
        }
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void MapSpecs_EqualTheMapsBpftoolCreated(string relative)
    {
        CollectionSpec spec = Load(relative);
        BpftoolOracle.Result kernel = BpftoolOracle.LoadAll(RepoPaths.BpfObject(relative), spec.Maps.Where(m => m.Pinning == MapPinning.ByName).Select(m => m.Name));
        if (!kernel.Loaded)
        {
            SkipWhereTheOracleCannotLoad(relative, kernel.Error);
            Assert.True(spec.Maps.Any(m => m.Kind == MapKind.Legacy), $"bpftool could not load {relative}: {kernel.Error}");
            return;
        }
        var referenced = spec.Programs.Where(p => p.AutoLoad).SelectMany(p => p.MapReferences.Select(r => r.Map).Concat(p.BoundMaps))
            .Select(name => spec.GetMap(name).KernelName).ToHashSet();
        Assert.Equal(referenced.Order(StringComparer.Ordinal), kernel.Maps.Select(m => m.Name).Order(StringComparer.Ordinal));
        foreach (BpftoolOracle.LoadedMap loaded in kernel.Maps)
        {
            MapSpec map = Assert.Single(spec.Maps, m => m.KernelName == loaded.Name);
            Assert.Equal((loaded.Name, loaded.Type, loaded.KeySize, loaded.ValueSize, loaded.MaxEntries, loaded.Flags),
                (map.KernelName, BpftoolOracle.MapTypeName(map.Type), map.KeySize, map.ValueSize, map.MaxEntries, map.Flags));
        }
    }

    // The oracle cannot load some objects here: hooks this kernel refuses (fentry/lsm trampolines: EPERM as root) and
    // sections newer than the system's libbpf (uprobe.multi). Those skip with bpftool's reason instead of failing.
    private static void SkipWhereTheOracleCannotLoad(string relative, string error)
    {
        if (error.Contains("failed to guess program type from ELF section", StringComparison.Ordinal)
            || (error.Contains("BPF program load failed: Operation not permitted", StringComparison.Ordinal) && relative.Contains("trace_", StringComparison.Ordinal)))
            Assert.Skip($"bpftool cannot load {relative} here: {error.Split('\n').FirstOrDefault(l => l.Contains("libbpf:", StringComparison.Ordinal))}");
    }
}
