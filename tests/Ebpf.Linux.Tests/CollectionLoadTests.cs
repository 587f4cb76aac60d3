using System.Text.Json;
using Ebpf.Btf;
using Ebpf.Linux.Features;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>
/// Every object built from bpf/ loads through CollectionSpec → KernelCollection, and the kernel's tag of each
/// program equals the tag of the spec's instructions (the same bytes libbpf would submit).
/// </summary>
[Collection(nameof(FdCountCollection))] // counts fds: nothing else may run meanwhile
public class CollectionLoadTests
{
    private static readonly Lazy<BtfSpec> Vmlinux = new(() => BtfReader.Parse(File.ReadAllBytes("/sys/kernel/btf/vmlinux")));

    // bpf/rejected/ holds objects the verifier must refuse (VerifierLogTests).
    public static TheoryData<string> Objects() => new(RepoPaths.LoadableBpfObjects());

    [Theory]
    [MemberData(nameof(Objects))]
    public void Load_EveryObject_KernelTagsEqualSpecTags(string relative)
    {
        if (!File.Exists("/sys/kernel/btf/vmlinux")) Assert.Skip("the kernel has no BTF: CO-RE objects cannot be relocated");
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject(relative), new CollectionLoadOptions { TargetBtf = Vmlinux.Value });
        GC.Collect();   // earlier tests' bpftool pipes close in finalizers: not while we count
        GC.WaitForPendingFinalizers();
        SkipWhereTheKernelLacks(spec, relative);
        int fdsBefore = FdCounter.CountBpfObjects();
        // Objects for features this kernel lacks (user_ringbuf_drain.o needs 6.1; fentry where trampolines are
        // refused) skip with the reason.
        using var pins = new BpfFsDirectory();   // maps pinned by name (linking_mix.o) go here, and away after the test
        using (KernelCollection collection = KernelAssert.RunOrSkip(() => KernelCollection.Load(spec, new KernelCollectionOptions { PinPath = pins.Path })))
        {
            Assert.Equal(spec.Programs.Count(p => p.AutoLoad), collection.Programs.Count);
            AssertTagsEqualBpftool(relative, collection);
            foreach (ProgramSpec program in spec.Programs.Where(p => p.AutoLoad))
            {
                ProgramInfo info = collection.Program(program.Name).Info();
                Assert.Equal(program.Type, info.Type);
                Assert.True(KernelProgramTag.Compute(program) == info.Tag,
                    $"{relative}: program {program.Name}: spec tag {ProgramTag.Format(KernelProgramTag.Compute(program))} ({KernelProgramTag.Algorithm}), kernel {ProgramTag.Format(info.Tag)}");
                // Every map the program references is one of the collection's maps.
                foreach (uint id in info.MapIds)
                    Assert.Contains(collection.Maps.Values, m => m.Id == id);
            }
            foreach (MapSpec map in spec.Maps)
            {
                KernelMap kernel = collection.Map(map.Name);
                Assert.Equal(map.Type, kernel.Type);
                Assert.Equal((int)map.MaxEntries, kernel.MaxEntries);
                // The object's BTF was loaded, not dropped: global data maps are typed by their fixed-up DATASEC.
                if (map.Kind is MapKind.Data or MapKind.ReadOnlyData or MapKind.Bss && spec.Btf?[map.BtfValueTypeId] is BtfDataSec { Size: > 0 })
                    Assert.Equal(map.BtfValueTypeId, kernel.Info().BtfValueTypeId);
            }
            foreach (ProgramSpec program in spec.Programs.Where(p => p.AutoLoad && !p.FuncInfo.IsEmpty))
                Assert.True(collection.Program(program.Name).Info().BtfId != 0, $"{relative}: program {program.Name} was loaded without BTF");
        }
        Assert.Equal(fdsBefore, FdCounter.CountBpfObjects());   // every map, program and BTF fd closed again
    }

    /// <summary>
    /// An older kernel's view: with FLOAT, DECL_TAG, TYPE_TAG and ENUM64 unknown, every object's BTF is rewritten
    /// without them and this kernel still accepts it, with every type id where it was.
    /// </summary>
    [Theory]
    [MemberData(nameof(Objects))]
    public void SanitizedBtf_ForAKernelWithoutNewKinds_Loads(string relative)
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject(relative), new CollectionLoadOptions { TargetBtf = Vmlinux.Value });
        if (spec.Btf is null) Assert.Skip($"{relative} has no BTF");
        BtfSpec old = ObjectBtfSanitizer.Sanitize(spec.Btf, _ => false);
        Assert.DoesNotContain(old.OwnTypes, t => t.Kind is BtfKind.Float or BtfKind.DeclTag or BtfKind.TypeTag or BtfKind.Enum64);
        Assert.True(old.OwnTypes.Count >= spec.Btf.OwnTypes.Count);
        using SafeBpfHandle loaded = KernelBtf.Load(BtfWriter.WritePreservingStrings(old));
        using SafeBpfHandle current = KernelBtf.Load(BtfWriter.WritePreservingStrings(ObjectBtfSanitizer.Sanitize(spec.Btf)));
    }

    private static void SkipWhereTheKernelLacks(CollectionSpec spec, string relative)
    {
        // Callbacks (bpf_for_each_map_elem, bpf_loop) reference their subprogram with a BPF_PSEUDO_FUNC lddw (Linux 5.13+,
        // the release of bpf_for_each_map_elem): older verifiers count fewer subprograms than the func_info has.
        if (spec.Programs.Any(p => p.AutoLoad && p.Instructions.Any(i => i.IsLoadImm64 && (int)i.Source == PseudoFunc))
            && !KernelFeatures.Helper(ProgramType.Xdp, ForEachMapElem).IsSupported)
            Assert.Skip($"{relative} passes callbacks (BPF_PSEUDO_FUNC): the kernel lacks bpf_for_each_map_elem (Linux 5.13+)");
        if (spec.Programs.Any(p => p.AutoLoad && UsesInstructionSetV4(p)) && !KernelFeatures.InstructionSetV4.IsSupported)
            Assert.Skip($"{relative} uses ISA v4 instructions; {KernelFeatures.InstructionSetV4.Name} is missing (Linux {KernelFeatures.InstructionSetV4.Since}+)");
        if (spec.Programs.Any(p => p.AutoLoad && UsesAtomicFetch(p)) && !KernelFeatures.AtomicFetch.IsSupported)
            Assert.Skip($"{relative} uses atomic fetch/xchg/cmpxchg instructions; {KernelFeatures.AtomicFetch.Name} is missing (Linux {KernelFeatures.AtomicFetch.Since}+)");
    }

    private const int PseudoFunc = 4, ForEachMapElem = 164;

    // BPF_STX|BPF_ATOMIC with an immediate other than BPF_ADD: fetch variants, and/or/xor, xchg, cmpxchg.
    private static bool UsesAtomicFetch(ProgramSpec program) => program.Instructions.Any(i =>
        (i.OpCode.Value & 0xe7) == 0xc3 && i.Immediate != 0);

    // ISA v4: movsx (mov with an offset), sdiv/smod (offset 1), bswap (BPF_ALU64|BPF_END), sign-extending loads
    // (BPF_MEMSX) and gotol (BPF_JMP32|BPF_JA).
    private static bool UsesInstructionSetV4(ProgramSpec program) => program.Instructions.Any(i =>
    {
        byte op = i.OpCode.Value;
        int cls = op & 0x07, code = op & 0xf0;
        bool alu = cls is 0x04 or 0x07;
        return (alu && code == 0xb0 && i.Offset != 0)
            || (alu && code is 0x30 or 0x90 && i.Offset == 1)
            || op == 0xd7
            || (cls == 0x01 && (op & 0xe0) == 0x80)
            || op == 0x06;
    });

    [Fact]
    public void Load_PinnedByName_ReusesTheMap_AndRefusesAnIncompatiblePin()
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/linking_mix.o"), new CollectionLoadOptions { TargetBtf = Vmlinux.Value });
        SkipWhereTheKernelLacks(spec, "tests/linking_mix.o");
        MapSpec pinnedSpec = spec.Maps.Single(m => m.Pinning == MapPinning.ByName);
        using var pins = new BpfFsDirectory();
        var options = new KernelCollectionOptions { PinPath = pins.Path };
        uint id;
        using (KernelCollection first = KernelCollection.Load(spec, options))
        {
            id = first.Map(pinnedSpec.Name).Id;
            Assert.Equal(id, BpfTool.Json("map", "show", "pinned", pins[pinnedSpec.Name]).GetProperty("id").GetUInt32());
        }
        using (KernelCollection second = KernelCollection.Load(spec, options))
            Assert.Equal(id, second.Map(pinnedSpec.Name).Id);   // the pin kept the map alive; the second load reused it

        BpfFs.Unpin(pins[pinnedSpec.Name]);
        using (KernelMap other = KernelMap.Create(pinnedSpec.Type, (int)pinnedSpec.KeySize, (int)pinnedSpec.ValueSize, (int)pinnedSpec.MaxEntries + 1, "t_pin_clash"))
            other.Pin(pins[pinnedSpec.Name]);
        var e = Assert.Throws<InvalidOperationException>(() => KernelCollection.Load(spec, options));
        Assert.Contains("incompatible", e.Message, StringComparison.Ordinal);
        Assert.Contains(pins[pinnedSpec.Name], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HundredPrograms_AllLoad_WithBpftoolsTags()
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/many_programs.o"));
        Assert.Equal(100, spec.Programs.Count());
        using KernelCollection collection = KernelCollection.Load(spec);
        Assert.Equal(100, collection.Programs.Count);
        AssertTagsEqualBpftool("tests/many_programs.o", collection);
        // Every program shares the one map and the frozen .rodata.
        uint hits = collection.Map("hits").Id;
        Assert.All(collection.Programs.Values, p => Assert.Contains(hits, p.Info().MapIds));
    }

    [Fact]
    public void Load_BindsRodataToEveryProgram_AsLibbpfDoes()
    {
        string path = RepoPaths.BpfObject("tests/rodata_unused.o");
        CollectionSpec spec = CollectionSpec.LoadFile(path);
        using KernelCollection collection = KernelCollection.Load(spec);
        KernelMap rodata = collection.Maps.Values.Single(m => m.Name.EndsWith(".rodata", StringComparison.Ordinal));
        // libbpf's view of the same object: the names of the maps each program holds.
        using var dir = new BpfFsDirectory();
        BpfTool.Run("prog", "loadall", path, dir.Path);
        foreach ((string name, KernelProgram program) in collection.Programs)
        {
            JsonElement shown = BpfTool.Json("prog", "show", "pinned", dir[name]);
            string[] libbpfMaps = shown.TryGetProperty("map_ids", out JsonElement ids)
                ? [.. ids.EnumerateArray().Select(id => MapName(id.GetUInt32())).Order()]
                : [];
            string[] ours = [.. program.Info().MapIds.Select(id => collection.Maps.Values.Single(m => m.Id == id).Name).Order()];
            Assert.Equal(libbpfMaps, ours);
        }
        if (Features.KernelFeatures.ProgBindMap.IsSupported)
            Assert.All(collection.Programs.Values, p => Assert.Contains(rodata.Id, p.Info().MapIds));
    }

    private static string MapName(uint id)
    {
        using SafeBpfHandle map = KernelObjects.OpenMapById(id);
        return MapInfo.Get(map).Name;
    }

    /// <summary>bpftool's tag of each loaded program (one <c>prog show</c> listing for all) equals the spec's.</summary>
    private static void AssertTagsEqualBpftool(string relative, KernelCollection collection)
    {
        var shown = new Dictionary<uint, string>();
        foreach (JsonElement p in BpfTool.Json("prog", "show").EnumerateArray())
            shown[p.GetProperty("id").GetUInt32()] = p.GetProperty("tag").GetString()!;
        foreach ((string name, KernelProgram program) in collection.Programs)
        {
            string expected = ProgramTag.Format(KernelProgramTag.Compute(collection.Spec.Programs.Single(p => p.Name == name)));
            Assert.True(shown.TryGetValue(program.Id, out string? tag), $"{relative}: bpftool does not list program {name} (id {program.Id})");
            Assert.True(expected == tag, $"{relative}: program {name}: spec tag {expected}, bpftool {tag}");
        }
    }

    [Fact]
    public void Load_GlobalData_IsInitialised_AndRodataFrozen()
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/globals_subprog.o"), new CollectionLoadOptions { TargetBtf = Vmlinux.Value });
        SkipWhereTheKernelLacks(spec, "tests/globals_subprog.o");
        using KernelCollection collection = KernelCollection.Load(spec);
        foreach (MapSpec map in spec.Maps.Where(m => m.Kind is MapKind.Data or MapKind.ReadOnlyData))
        {
            KernelMap kernel = collection.Map(map.Name);
            var value = new byte[kernel.ValueSize];
            Assert.True(kernel.TryLookup(new byte[4], value));
            Assert.Equal(map.InitialValue.ToArray(), value);
            if (map.Kind == MapKind.ReadOnlyData)
            {
                // Frozen: the syscall side can no longer write it.
                Assert.ThrowsAny<Exception>(() => kernel.Update(new byte[4], value));
            }
        }
    }

    [Theory]
    [InlineData("tests/core_task.o", "core_task")]
    [InlineData("trace_openat.o", null)]
    public void Load_CoReWithoutTargetBtf_ResolvesAgainstTheRunningKernel(string relative, string? program)
    {
        if (!KernelBtf.TryGetVmlinux(out BtfSpec? vmlinux)) Assert.Skip($"{KernelBtf.VmlinuxPath} does not exist (no CONFIG_DEBUG_INFO_BTF)");
        CollectionSpec pending = CollectionSpec.LoadFile(RepoPaths.BpfObject(relative));
        Assert.Contains(pending.Programs, p => p.HasPendingCoRe);
        CollectionSpec direct = CollectionSpec.LoadFile(RepoPaths.BpfObject(relative), new CollectionLoadOptions { TargetBtf = vmlinux });
        using KernelCollection loaded = KernelAssert.RunOrSkip(() => KernelCollection.Load(pending));
        Assert.Same(pending, loaded.Spec);   // the caller's spec, not the resolved copy
        foreach (ProgramSpec spec in direct.Programs.Where(p => program is null || p.Name == program))
        {
            // The kernel saw exactly the instructions a load with an explicit target produces.
            KernelProgram kernel = loaded.Program(spec.Name);
            Assert.Equal(KernelProgramTag.Compute(spec), kernel.Info().Tag);
        }
    }
}
