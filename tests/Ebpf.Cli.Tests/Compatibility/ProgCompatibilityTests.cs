using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>ebpf prog ... against bpftool prog ... on the same loaded programs.</summary>
public class ProgCompatibilityTests
{
    private static readonly Dictionary<string, long> s_loadedAt = new() { ["loaded_at"] = 1 };

    [Fact]
    public void Show_ById_EveryFieldEqualsBpftool()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        string id = LoadedObject.IdOf("prog", obj.Program("xdp_drop_udp53"));
        JsonCompare.Equal(Tools.BpftoolJson("prog", "show", "id", id), Tools.EbpfJson("prog", "show", "id", id), tolerance: s_loadedAt);
    }

    [Fact]
    public void Show_PinnedAndName_EqualBpftool_AndListHasTheSameEntry()
    {
        using var obj = new LoadedObject("tests/maps_mix.o");
        string pinned = obj.Program("maps_prog");
        JsonCompare.Equal(Tools.BpftoolJson("prog", "show", "pinned", pinned), Tools.EbpfJson("prog", "show", "pinned", pinned), tolerance: s_loadedAt);
        long id = Tools.BpftoolJson("prog", "show", "pinned", pinned).GetProperty("id").GetInt64();
        // By name: a bare object for one match, an array for several. The name is global: other tests, and other
        // processes (a second suite), load and unload programs of that name between the two tools' listings, so
        // both listings must be taken while the set of matches stands still (bpftool before and after agree).
        var (expected, actual) = StableListings(() => Tools.BpftoolJson("prog", "show", "name", "maps_prog"), () => Tools.EbpfJson("prog", "show", "name", "maps_prog"));
        Assert.Contains(id, Ids(actual));
        JsonCompare.Equal(expected, actual, tolerance: s_loadedAt);
        JsonElement mine = Tools.EbpfJson("prog", "list").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == id);
        JsonCompare.Equal(Tools.BpftoolJson("prog", "show", "pinned", pinned), mine, tolerance: s_loadedAt);
    }

    /// <summary>
    /// bpftool's and ebpf's answers to the same question about global state, taken between two bpftool answers that
    /// name the same objects (retried boundedly while other processes change it): then both saw the same objects.
    /// </summary>
    internal static (JsonElement Bpftool, JsonElement Ebpf) StableListings(Func<JsonElement> bpftool, Func<JsonElement> ebpf)
    {
        for (int attempt = 1; ; attempt++)
        {
            JsonElement before = bpftool(), ours = ebpf(), after = bpftool();
            if (Ids(before).SequenceEqual(Ids(after)) && Ids(before).SequenceEqual(Ids(ours))) return (after, ours);
            Assert.True(attempt < 20, $"the listing kept changing (20 tries): bpftool {string.Join(",", Ids(before))} then {string.Join(",", Ids(after))}, ebpf {string.Join(",", Ids(ours))}");
        }
    }

    /// <summary>The ids of a bare object or of an array's objects (null: none).</summary>
    internal static long[] Ids(JsonElement shown) => shown.ValueKind switch
    {
        JsonValueKind.Array => [.. shown.EnumerateArray().Select(p => p.GetProperty("id").GetInt64())],
        JsonValueKind.Object => [shown.GetProperty("id").GetInt64()],
        _ => [],
    };

    [Fact]
    public void Show_PlainText_EqualsBpftool()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        string pinned = obj.Program("xdp_drop_udp53");
        // The load time is printed to the second from two clocks: compare the lines without it.
        static string[] Lines(string text) => text.Split('\n').Where(l => !l.Contains("loaded_at", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Lines(Tools.Bpftool("prog", "show", "pinned", pinned)), Lines(Tools.Ebpf("prog", "show", "pinned", pinned)));
    }

    [Fact]
    public void LongName_ShowListAndName_EqualBpftool_WithTheWholeName()
    {
        using var obj = new LoadedObject("tests/long_names.o");
        string pinned = obj.Program("xdp_pass_with_a_long");
        JsonElement bpftool = Tools.BpftoolJson("prog", "show", "pinned", pinned);
        // The kernel keeps 15 characters; both tools recover the 20 from the program's BTF.
        Assert.Equal("xdp_pass_with_a_long", bpftool.GetProperty("name").GetString());
        JsonCompare.Equal(bpftool, Tools.EbpfJson("prog", "show", "pinned", pinned), tolerance: s_loadedAt);
        static string[] Lines(string text) => text.Split('\n').Where(l => !l.Contains("loaded_at", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Lines(Tools.Bpftool("prog", "show", "pinned", pinned)), Lines(Tools.Ebpf("prog", "show", "pinned", pinned)));
        long id = bpftool.GetProperty("id").GetInt64();
        JsonElement listed = Tools.EbpfJson("prog", "list").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == id);
        JsonCompare.Equal(bpftool, listed, tolerance: s_loadedAt);
        // Found by the whole name as well as by the kernel's cut one.
        foreach (string name in new[] { "xdp_pass_with_a_long", "xdp_pass_with_a" })
        {
            JsonElement found = Tools.EbpfJson("prog", "show", "name", name);
            IEnumerable<JsonElement> all = found.ValueKind == JsonValueKind.Array ? found.EnumerateArray() : [found];
            Assert.Contains(all, p => p.GetProperty("id").GetInt64() == id);
        }
    }

    [Fact]
    public void DumpXlated_Opcodes_EqualBpftool_InstructionByInstruction()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        string pinned = obj.Program("xdp_drop_udp53");
        JsonElement expected = Tools.BpftoolJson("prog", "dump", "xlated", "pinned", pinned, "opcodes");
        JsonElement actual = Tools.EbpfJson("prog", "dump", "xlated", "pinned", pinned, "opcodes");
        Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
        for (int i = 0; i < expected.GetArrayLength(); i++)
        {
            // The disassembly text is LLVM's with the kernel's opcode prefix; "src"/"proto" (line info) are not read.
            JsonCompare.Equal(expected[i].GetProperty("opcodes"), actual[i].GetProperty("opcodes"));
            string opcode = expected[i].GetProperty("disasm").GetString()![..4];
            Assert.StartsWith(opcode, actual[i].GetProperty("disasm").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("xdp_drop_udp53.o", "xdp_drop_udp53")]
    [InlineData("tests/maps_mix.o", "maps_prog")]
    [InlineData("tests/alu_mix.o", null)]
    public void DumpXlated_Text_EqualsBpftool_ApartFromSourceLines(string objectName, string? program)
    {
        using var obj = new LoadedObject(objectName);
        string pinned = program is null ? Directory.GetFiles(obj.Programs)[0] : obj.Program(program);
        // bpftool interleaves "; source line" and the prototype from BTF line info, which ebpf does not read yet.
        string[] expected = Tools.Bpftool("prog", "dump", "xlated", "pinned", pinned).Split('\n')
            .Where(l => !l.StartsWith(';') && !l.EndsWith("):", StringComparison.Ordinal) && l.Length > 0).ToArray();
        string[] actual = Tools.Ebpf("prog", "dump", "xlated", "pinned", pinned).Split('\n').Where(l => l.Length > 0).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void DumpJited_DecodesEveryByte_WithTheKernelSymbolName()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        string pinned = obj.Program("xdp_drop_udp53");
        JsonElement show = Tools.BpftoolJson("prog", "show", "pinned", pinned);
        RequireJitedX64(show);
        JsonElement functions = Tools.EbpfJson("prog", "dump", "jited", "pinned", pinned, "opcodes");
        JsonElement f = functions[0];
        Assert.Equal($"bpf_prog_{show.GetProperty("tag").GetString()}_xdp_drop_udp53", f.GetProperty("name").GetString());
        int bytes = f.GetProperty("insns").EnumerateArray().Sum(i => i.GetProperty("opcodes").GetArrayLength());
        Assert.Equal(show.GetProperty("bytes_jited").GetInt32(), bytes);
        // Every function ends in a return: `ret` (followed by an int3 where the kernel is built with the
        // straight-line-speculation mitigation, CONFIG_MITIGATION_SLS), or with return thunks (retpolines, SRSO on
        // AMD, ITS on Intel) a jump out of it to the thunk.
        Dictionary<ulong, string> kallsyms = KallsymsByAddress();
        foreach (JsonElement function in functions.EnumerateArray())
        {
            JsonElement[] insns = [.. function.GetProperty("insns").EnumerateArray()];
            JsonElement last = insns[^1];
            string operation = last.GetProperty("operation").GetString()!;
            if (operation == "int3" && insns.Length > 1 && insns[^2].GetProperty("operation").GetString() == "ret") continue;
            if (operation == "ret") continue;
            Assert.Equal("jmp", operation);
            string operand = last.GetProperty("operands")[0].GetString()!;
            ulong target = ulong.Parse(operand.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (kallsyms.Count == 0) continue;   // kptr_restrict: no addresses to name it by
            // The annotation names what /proc/kallsyms lists at that address (read here independently of ebpf).
            Assert.True(kallsyms.TryGetValue(target, out string? expected), $"the final jmp of {function.GetProperty("name")} goes to {operand}, which is no kernel function start");
            Assert.Equal(expected, last.GetProperty("target").GetString());
        }
    }

    [Fact]
    public void DumpJited_NamesEveryFunction_AsKallsymsDoes_WithTheWholeName()
    {
        using var obj = new LoadedObject("tests/long_names.o");
        string pinned = obj.Program("xdp_pass_with_a_long");
        JsonElement show = Tools.BpftoolJson("prog", "show", "pinned", pinned);
        RequireJitedX64(show);
        Dictionary<ulong, string> kallsyms = KallsymsByAddress();
        if (kallsyms.Count == 0) Assert.Skip($"/proc/kallsyms shows no addresses ({HostSysctl.Describe("kernel.kptr_restrict")})");
        var expected = kallsyms.Values.Where(n => n.StartsWith($"bpf_prog_{show.GetProperty("tag").GetString()}_", StringComparison.Ordinal)).ToList();
        if (expected.Count == 0) Assert.Skip($"the kernel lists no BPF programs in kallsyms ({HostSysctl.Describe("net.core.bpf_jit_kallsyms")})");
        JsonElement functions = Tools.EbpfJson("prog", "dump", "jited", "pinned", pinned);
        string[] names = [.. functions.EnumerateArray().Select(f => f.GetProperty("name").GetString()!)];
        Assert.Equal(2, names.Length);
        Assert.Equal($"bpf_prog_{show.GetProperty("tag").GetString()}_xdp_pass_with_a_long", names[0]);
        Assert.EndsWith("_verdict_of_the_long_named", names[1], StringComparison.Ordinal);
        // The call into the subprogram is annotated with the subprogram's symbol.
        Assert.Contains(functions[0].GetProperty("insns").EnumerateArray(),
            i => i.GetProperty("operation").GetString() == "call" && i.TryGetProperty("target", out JsonElement t) && t.GetString() == names[1]);
    }

    // What a jited dump needs, as measured: the kernel JIT-compiled this program, on x86-64 (the decoder's ISA).
    private static void RequireJitedX64(JsonElement show)
    {
        if (!show.GetProperty("jited").GetBoolean()) Assert.Skip($"the program was not JIT-compiled ({HostSysctl.Describe("net.core.bpf_jit_enable")})");
        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture;
        if (arch != System.Runtime.InteropServices.Architecture.X64) Assert.Skip($"the jited dump decodes x86-64 only; this machine is {arch}");
    }

    /// <summary>Function symbols of /proc/kallsyms by address; empty when addresses are hidden.</summary>
    private static Dictionary<ulong, string> KallsymsByAddress()
    {
        var symbols = new Dictionary<ulong, string>();
        foreach (string line in File.ReadLines("/proc/kallsyms"))
        {
            string[] parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[1] is not ("T" or "t" or "W" or "w")) continue;
            ulong address = ulong.Parse(parts[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (address != 0) symbols.TryAdd(address, parts[2]);
        }
        return symbols;
    }

    [Fact]
    public void Load_PinsTheSameProgramBpftoolLoads_AndPinmapsPinsItsMaps()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        string mine = obj.Directory["mine"];
        Tools.Ebpf("prog", "load", RepoPaths.BpfObject("xdp_drop_udp53.o"), mine, "pinmaps", obj.Directory["mymaps"]);
        JsonElement theirs = Tools.BpftoolJson("prog", "show", "pinned", obj.Program("xdp_drop_udp53"));
        JsonElement ours = Tools.BpftoolJson("prog", "show", "pinned", mine);
        Assert.NotEqual(theirs.GetProperty("id").GetInt64(), ours.GetProperty("id").GetInt64());
        JsonCompare.Equal(theirs, ours, ignore: new HashSet<string> { "id", "loaded_at", "map_ids", "btf_id" });
        JsonElement map = Tools.BpftoolJson("map", "show", "pinned", Path.Combine(obj.Directory["mymaps"], "drop_stats"));
        Assert.Equal(ours.GetProperty("map_ids")[0].GetInt64(), map.GetProperty("id").GetInt64());
    }

    [Fact]
    public void Load_MapName_ReusesTheGivenMap()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        string mine = obj.Directory["reuse"];
        string existing = obj.Map("drop_stats");
        Tools.Ebpf("prog", "load", RepoPaths.BpfObject("xdp_drop_udp53.o"), mine, "map", "name", "drop_stats", "pinned", existing);
        long expected = Tools.BpftoolJson("map", "show", "pinned", existing).GetProperty("id").GetInt64();
        Assert.Equal(expected, Tools.BpftoolJson("prog", "show", "pinned", mine).GetProperty("map_ids")[0].GetInt64());
    }

    [Fact]
    public void LoadAll_PinsEveryProgramUnderTheDirectory_LikeBpftool()
    {
        using var obj = new LoadedObject("tests/globals_subprog.o");
        string mine = obj.Directory["all"];
        Tools.Ebpf("prog", "loadall", RepoPaths.BpfObject("tests/globals_subprog.o"), mine);
        Assert.Equal(Directory.GetFiles(obj.Programs).Select(Path.GetFileName).Order(), Directory.GetFiles(mine).Select(Path.GetFileName).Order());
        foreach (string name in Directory.GetFiles(obj.Programs).Select(f => Path.GetFileName(f)))
        {
            JsonElement theirs = Tools.BpftoolJson("prog", "show", "pinned", obj.Program(name!));
            JsonElement ours = Tools.BpftoolJson("prog", "show", "pinned", Path.Combine(mine, name!));
            Assert.Equal(theirs.GetProperty("tag").GetString(), ours.GetProperty("tag").GetString());
            Assert.Equal(theirs.GetProperty("type").GetString(), ours.GetProperty("type").GetString());
        }
    }

    [Fact]
    public void Pin_PinsTheProgramById()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        string id = LoadedObject.IdOf("prog", obj.Program("xdp_drop_udp53"));
        string again = obj.Directory["again"];
        Tools.Ebpf("prog", "pin", "id", id, again);
        Assert.Equal(id, LoadedObject.IdOf("prog", again));
    }

    [Fact]
    public void Run_ReturnValueEqualsBpftool_ForAnUdp53Packet()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        string pinned = obj.Program("xdp_drop_udp53");
        string packet = Path.Combine(Path.GetTempPath(), $"ebpf-run-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(packet, UdpPacket(53));
            JsonElement expected = Tools.BpftoolJson("prog", "run", "pinned", pinned, "data_in", packet);
            JsonElement actual = Tools.EbpfJson("prog", "run", "pinned", pinned, "data_in", packet, "repeat", "3");
            Assert.Equal(1, expected.GetProperty("retval").GetInt32());      // XDP_DROP
            Assert.Equal(expected.GetProperty("retval").GetInt32(), actual.GetProperty("retval").GetInt32());
            File.WriteAllBytes(packet, UdpPacket(80));
            Assert.Equal(2, Tools.EbpfJson("prog", "run", "pinned", pinned, "data_in", packet).GetProperty("retval").GetInt32()); // XDP_PASS
        }
        finally
        {
            File.Delete(packet);
        }
    }

    [Fact]
    public void Load_VerifierRejection_PrintsTheWholeLog()
    {
        Tools.RequireKernel();
        using var dir = new BpfFsDirectory();
        var (code, stdout, stderr) = Tools.TryEbpf("prog", "load", RepoPaths.BpfObject("rejected/huge_log.o"), dir["p"]);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        string[] lines = stderr.Split('\n');
        Assert.StartsWith("Error: ", lines[0], StringComparison.Ordinal);
        Assert.Equal("-- BEGIN PROG LOAD LOG --", lines[1]);
        Assert.Contains("R5 !read_ok", stderr, StringComparison.Ordinal);
        Assert.Contains("-- END PROG LOAD LOG --", lines[^2], StringComparison.Ordinal);
        Assert.True(lines.Length > 100_000, $"the log has {lines.Length} lines: it was cut");
        Assert.False(File.Exists(dir["p"]));
    }

    [Fact]
    public void Profile_FailsWithOneClearLine()
    {
        var (code, stdout, stderr) = Tools.TryEbpf("prog", "profile", "id", "1", "cycles");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("fentry", stderr, StringComparison.Ordinal);
    }

    // Ethernet + IPv4 + UDP to the given port: what xdp_drop_udp53 decides on.
    private static byte[] UdpPacket(int port)
    {
        byte[] p = new byte[14 + 20 + 8 + 4];
        p[12] = 0x08; p[13] = 0x00;                 // ETH_P_IP
        p[14] = 0x45; p[14 + 9] = 17;               // IPv4, IHL 5, UDP
        p[14 + 2] = 0; p[14 + 3] = 20 + 8 + 4;      // total length
        p[14 + 20 + 2] = (byte)(port >> 8); p[14 + 20 + 3] = (byte)port;
        return p;
    }
}
