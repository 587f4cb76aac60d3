using System.Text.Json;
using Ebpf.Asm;
using Ebpf.Btf;
using Ebpf.Loader;
using Ebpf.Sections;
using Ebpf.Testing;

namespace Ebpf.Tests.Loader;

/// <summary>Section conventions, map naming, linking layout, legacy maps, kconfig and CO-RE edge cases.</summary>
public class CollectionSpecTests
{
    [Theory]
    [InlineData("xdp", ProgramType.Xdp, AttachType.Xdp, null)]
    [InlineData("?xdp", ProgramType.Xdp, AttachType.Xdp, null)]
    [InlineData("xdp.frags/devmap", ProgramType.Xdp, AttachType.XdpDevMap, null)]
    [InlineData("kprobe/do_unlinkat", ProgramType.Kprobe, null, "do_unlinkat")]
    [InlineData("tracepoint/syscalls/sys_enter_openat", ProgramType.Tracepoint, null, "syscalls/sys_enter_openat")]
    [InlineData("sk_reuseport/migrate", ProgramType.SkReuseport, AttachType.SkReuseportSelectOrMigrate, null)]
    [InlineData("sk_reuseport", ProgramType.SkReuseport, AttachType.SkReuseportSelect, null)]
    [InlineData("fentry", ProgramType.Tracing, AttachType.TraceFentry, null)]
    [InlineData("fentry.s/do_sys_open", ProgramType.Tracing, AttachType.TraceFentry, "do_sys_open")]
    [InlineData("cgroup/bind4", ProgramType.CgroupSockAddr, AttachType.CgroupInet4Bind, null)]
    [InlineData("cgroup/sock", ProgramType.CgroupSock, AttachType.CgroupInetSockCreate, null)]
    [InlineData("tc/ingress", ProgramType.SchedClassifier, AttachType.TcxIngress, null)]
    [InlineData("struct_ops.s/dispatch", ProgramType.StructOps, null, "dispatch")]
    [InlineData("lsm.s/file_open", ProgramType.Lsm, AttachType.LsmMac, "file_open")]
    public void SectionDefinitions_FollowLibbpf(string section, ProgramType type, AttachType? attach, string? target)
    {
        SectionDefinition row = SectionDefinitions.Find(section)!;
        Assert.NotNull(row);
        Assert.Equal((type, attach, target), (row.ProgramType, row.ExpectedAttachType, row.TargetOf(section.TrimStart('?'))));
    }

    [Theory]
    [InlineData("kprobex")]
    [InlineData("xdp_foo")]
    [InlineData("tc/other")]
    [InlineData("cgroup/bind5")]
    public void SectionDefinitions_RejectNearMisses(string section) => Assert.Null(SectionDefinitions.Find(section));

    [Fact]
    public void SectionDefinitions_SleepableAndFragmentFlags()
    {
        Assert.Equal(SectionFlags.AttachBtf | SectionFlags.Sleepable, SectionDefinitions.Find("fentry.s/x")!.Flags);
        Assert.Equal(SectionFlags.XdpFrags, SectionDefinitions.Find("xdp.frags")!.Flags);
    }

    [Theory]
    [InlineData("xdp_drop_udp53", ".rodata", "xdp_drop.rodata")]
    [InlineData("xdp_drop_udp53", ".bss", "xdp_drop.bss")]
    [InlineData("xdp_drop_udp53", ".kconfig", "xdp_dro.kconfig")]
    [InlineData("obj", ".data", "obj.data")]
    [InlineData("my-obj", ".data", "my_obj.data")]
    [InlineData("xdp_drop_udp53", ".rodata.abracadabra", ".rodata.abracad")]
    [InlineData("xdp_drop_udp53", ".rodata.str1.1", ".rodata.str1.1")]
    public void InternalMapNames_FollowLibbpf(string objectName, string section, string expected) =>
        Assert.Equal(expected, ObjectReader.InternalMapName(objectName, section));

    [Fact]
    public void LegacyMaps_AreReadFromBpfMapDef()
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/legacy_maps.o"));
        Assert.Equal(
            [("legacy_hash", MapType.Hash, 4u, 8u, 32u), ("legacy_array", MapType.Array, 4u, 16u, 8u), ("legacy_lru", MapType.LruHash, 8u, 4u, 64u)],
            spec.Maps.Select(m => (m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries)));
        Assert.All(spec.Maps, m => Assert.Equal(MapKind.Legacy, m.Kind));
        ProgramSpec program = spec.GetProgram("legacy_prog");
        Assert.Equal(["legacy_hash", "legacy_array", "legacy_lru"], program.MapReferences.Select(r => r.Map));
        foreach (MapReference r in program.MapReferences)
        {
            Instruction insn = program.Instructions[r.Instruction];
            Assert.True(insn.IsLoadImm64);
            Assert.Equal((Register)LoadImmediateSource.MapFd, insn.Source);
            Assert.Equal(0, insn.Immediate);
        }
        Assert.Equal("GPL", spec.License);
    }

    [Fact]
    public void Linking_AppendsSubprogramsOncePerProgram_AndResolvesCallsAndCallbacks()
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/linking_mix.o"));
        Assert.Equal(["prog_a", "prog_b", "tail_one", "tail_entry", "tc_prog"], spec.Programs.Select(p => p.Name));
        foreach (ProgramSpec p in spec.Programs)
        {
            var starts = p.FuncInfo.Select(f => f.Instruction).ToHashSet();
            Assert.Equal(0, p.FuncInfo[0].Instruction);
            Assert.Equal(p.FuncInfo.Length, starts.Count); // each subprogram appended once
            for (int i = 0; i < p.Instructions.Length; i++)
            {
                Instruction insn = p.Instructions[i];
                if (insn.IsLocalCall) Assert.Contains(i + 1 + insn.Immediate, starts);
                if (insn.IsLoadImm64 && insn.Source == (Register)LoadImmediateSource.Func) Assert.Contains(i + 1 + insn.Immediate, starts);
                if (insn.IsLoadImm64) i++;
            }
            Assert.True(p.LineInfo.Length > 0);
            Assert.All(p.LineInfo, l => Assert.InRange(l.Instruction, 0, p.Instructions.Length - 1));
        }
        Assert.Equal([new MapSlot(2, "tail_one")], spec.GetMap("jump_table").InitialSlots);
        MapSpec outer = spec.GetMap("outer_hash");
        Assert.Equal([new MapSlot(1, "inner_b"), new MapSlot(3, "inner_a")], outer.InitialSlots);
        Assert.Equal(("outer_hash.inner", MapType.Array, 4u, 8u, 2u),
            (outer.InnerMap!.Name, outer.InnerMap.Type, outer.InnerMap.KeySize, outer.InnerMap.ValueSize, outer.InnerMap.MaxEntries));
        MapSpec pinned = spec.GetMap("ebpfnet_test_pinned");
        Assert.Equal((MapPinning.ByName, 1u), (pinned.Pinning, pinned.Flags));
        Assert.Equal(MapKind.ReadOnlyData, spec.GetMap(".rodata.config").Kind);
        Assert.Equal(new byte[] { 3, 0, 0, 0 }, spec.GetMap(".rodata.config").InitialValue);
        Assert.Equal(MapKind.Data, spec.GetMap(".data.stats").Kind);
    }

    [Fact]
    public void Kconfig_ValuesEqualWhatLibbpfWrote()
    {
        const string path = "tests/kconfig_externs.o";
        if (!File.Exists("/proc/config.gz")) Assert.Skip("/proc/config.gz is absent (CONFIG_IKCONFIG_PROC)");
        IReadOnlyDictionary<string, string> config;
        using (FileStream gz = File.OpenRead("/proc/config.gz")) config = KernelConfig.Parse(gz);
        string[] release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim().Split('.', '-');
        uint version = (uint.Parse(release[0], System.Globalization.CultureInfo.InvariantCulture) << 16)
            | (uint.Parse(release[1], System.Globalization.CultureInfo.InvariantCulture) << 8)
            | Math.Min(255u, uint.Parse(release[2], System.Globalization.CultureInfo.InvariantCulture));
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject(path), new CollectionLoadOptions { KernelConfig = config, KernelVersion = version });
        MapSpec kconfig = Assert.Single(spec.Maps, m => m.Kind == MapKind.KernelConfig);

        BpftoolOracle.Result kernel = BpftoolOracle.LoadAll(RepoPaths.BpfObject(path));
        BpftoolOracle.LoadedMap loaded = Assert.Single(kernel.Maps, m => m.Name == kconfig.KernelName);
        // The maps are gone once unpinned; the values libbpf wrote are read back from a second load kept alive.
        string dir = $"/sys/fs/bpf/ebpfnet_kconfig_{Environment.ProcessId}_{Guid.NewGuid():N}";   // unique: other suites run meanwhile
        try
        {
            ExternalTool.Run("bpftool", "prog", "loadall", RepoPaths.BpfObject(path), dir);
            using JsonDocument prog = JsonDocument.Parse(ExternalTool.Run("bpftool", "prog", "show", "pinned", $"{dir}/kconfig_prog", "-j"));
            foreach (JsonElement id in prog.RootElement.GetProperty("map_ids").EnumerateArray())
            {
                using JsonDocument dump = JsonDocument.Parse(ExternalTool.Run("bpftool", "map", "dump", "id", id.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), "-j"));
                JsonElement entry = dump.RootElement[0];
                byte[] value = [.. entry.GetProperty("value").EnumerateArray().Select(v => Convert.ToByte(v.GetString(), 16))];
                if (value.Length == kconfig.ValueSize && loaded.ValueSize == kconfig.ValueSize && entry.GetProperty("formatted").GetProperty("value").TryGetProperty(".kconfig", out _))
                    Assert.Equal(value, kconfig.InitialValue.ToArray());
            }
        }
        finally
        {
            if (Directory.Exists(dir)) { foreach (string f in Directory.GetFiles(dir)) File.Delete(f); Directory.Delete(dir); }
        }
    }

    [Fact]
    public void KernelConfig_ParsesTextAndSkipsComments()
    {
        var config = KernelConfig.Parse("# comment\nCONFIG_A=y\n\n# CONFIG_B is not set\nCONFIG_C=\"text\"\nCONFIG_D=0x10\n");
        Assert.Equal(new Dictionary<string, string> { ["CONFIG_A"] = "y", ["CONFIG_C"] = "\"text\"", ["CONFIG_D"] = "0x10" }, config);
        Assert.Throws<FormatException>(() => KernelConfig.Parse("garbage\n"));
    }

    [Fact]
    public void CoRe_WithoutTarget_IsPending_AndAgainstATargetWithoutTheTypes_IsPoisoned()
    {
        string path = RepoPaths.BpfObject("tests/core_flavors.o");
        Assert.True(CollectionSpec.LoadFile(path).Programs.Single().HasPendingCoRe);

        // A target BTF without task_struct: field reads are poisoned (call 0xbad2310), existence checks become 0.
        BtfSpec unrelated = CollectionSpec.LoadFile(RepoPaths.BpfObject("xdp_drop_udp53.o")).Btf!;
        ProgramSpec program = CollectionSpec.LoadFile(path, new CollectionLoadOptions { TargetBtf = unrelated }).Programs.Single();
        Assert.False(program.HasPendingCoRe);
        Assert.Contains(Instruction.CallHelper(195896080), program.Instructions);
    }

    [Fact]
    public void ObjectSummary_ListsProgramsAndMaps()
    {
        ObjectSummary summary = ObjectSummary.From(CollectionSpec.LoadFile(RepoPaths.BpfObject("xdp_drop_udp53.o")));
        ProgramSummary program = Assert.Single(summary.Programs);
        Assert.Equal(("xdp_drop_udp53", "xdp", ProgramType.Xdp, AttachType.Xdp), (program.Name, program.Section, program.Type, program.AttachType));
        Assert.Equal(16, program.Tag.Length);
        Assert.Contains(summary.Maps, m => m.Name == "drop_stats" && m.Type == MapType.PerCpuArray && m.MaxEntries == 2);
    }

    [Fact]
    public void Errors_NameTheSectionAndSymbol()
    {
        byte[] image = File.ReadAllBytes(RepoPaths.BpfObject("tests/maps_mix.o"));
        Assert.ThrowsAny<ObjectFormatException>(() => CollectionSpec.Load(image[..100]));
        var e = Assert.ThrowsAny<ObjectFormatException>(() => CollectionSpec.Load(image[..(image.Length / 2)]));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
