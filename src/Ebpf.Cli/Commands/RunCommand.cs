using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ebpf.Btf;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Vm;
using Ebpf.Vm.Maps;
using Ebpf.Vm.Pcap;

namespace Ebpf.Cli.Commands;

/// <summary>
/// <c>ebpf run OBJ --pcap IN [--program NAME] [--out OUT] [--engine interpreter|kernel]</c>: an XDP program over every
/// packet of a capture, in the userspace VM (no root, no kernel) or in the kernel through BPF_PROG_TEST_RUN, with a
/// verdict table and the maps afterwards; passed and transmitted packets, as the program left them, go to OUT.
/// </summary>
internal static class RunCommand
{
    private static readonly string[] XdpVerdicts = ["XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"];

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("OBJ") { Description = "A BPF ELF object built by clang -target bpf" };
        var pcap = new Option<string>("--pcap") { Description = "The capture to run over (pcap or pcapng, Ethernet)", Required = true };
        var program = new Option<string?>("--program") { Description = "The XDP program to run (default: the object's only one)" };
        var output = new Option<string?>("--out") { Description = "Write passed and transmitted packets here (pcapng if the name ends in .pcapng, else pcap)" };
        var engine = new Option<string>("--engine") { Description = "interpreter (the userspace VM, the default) or kernel (BPF_PROG_TEST_RUN, needs root)", DefaultValueFactory = _ => "interpreter" };
        engine.AcceptOnlyFromAmong("interpreter", "kernel");
        var run = new Command("run", """
            Run an XDP program of an object over every packet of a capture and print how many packets got each verdict,
            then the contents of the object's maps. With --engine interpreter (the default) the program runs in the
            userspace VM: no root and no kernel needed; with --engine kernel the same object is loaded into the kernel
            and every packet goes through BPF_PROG_TEST_RUN.

            Examples:
              ebpf run xdp_drop_udp53.o --pcap traffic.pcap
              ebpf run firewall.o --pcap in.pcapng --out passed.pcap --engine kernel -j
            """) { file, pcap, program, output, engine };
        run.SetGuardedAction(parse =>
        {
            var mode = OutputMode.From(parse);
            return Run(parse.GetValue(file)!, parse.GetValue(pcap)!, parse.GetValue(program), parse.GetValue(output), parse.GetValue(engine) == "kernel", mode);
        });
        return run;
    }

    private static int Run(string objectPath, string capture, string? programName, string? outPath, bool kernel, OutputMode mode)
    {
        if (!File.Exists(objectPath)) throw new CliError($"can't open '{objectPath}': no such file");
        if (!File.Exists(capture)) throw new CliError($"can't open '{capture}': no such file");
        BtfSpec? target = KernelBtf.TryGetVmlinux(out BtfSpec? vmlinux) ? vmlinux : null;
        CollectionSpec spec = CollectionSpec.LoadFile(objectPath, new CollectionLoadOptions { TargetBtf = target });
        string name = programName ?? SingleXdp(spec, objectPath);
        if (!spec.TryGetProgram(name, out ProgramSpec? chosen)) throw new CliError($"{objectPath} has no program '{name}' (it has {string.Join(", ", spec.Programs.Select(p => p.Name))})");
        if (chosen.Type != ProgramType.Xdp) throw new CliError($"program '{name}' is {KernelEnumNames.Name(chosen.Type)}: 'run' takes XDP programs");

        using ILoadedCollection loaded = kernel ? KernelCollection.Load(spec) : VmCollection.Load(spec);
        IProgram prog = loaded.GetProgram(name);
        long[] verdicts = new long[XdpVerdicts.Length + 1];
        long packets = 0, skipped = 0;
        byte[] buffer = new byte[4096];
        using CaptureWriter? writer = outPath is null ? null
            : outPath.EndsWith(".pcapng", StringComparison.OrdinalIgnoreCase) ? PcapNgWriter.Create(outPath) : PcapWriter.Create(outPath);
        foreach (PcapPacket packet in PcapReader.ReadFile(capture))
        {
            if (packet.LinkType != PcapLinkType.Ethernet || packet.Data.Length < 14 || packet.Data.Length > 3520)
            {
                skipped++;   // XDP sees Ethernet frames of 14 bytes to a page less head- and tailroom
                continue;
            }
            packets++;
            uint verdict = prog.TestRun(packet.Data.Span, buffer, out int length, out _);
            verdicts[Math.Min(verdict, (uint)XdpVerdicts.Length)]++;
            if (writer is not null && verdict is 2 or 3) writer.Write(buffer.AsSpan(0, length), packet.Timestamp);
        }
        var maps = spec.Maps.Select(m => (m.Name, Rows: Dump(loaded, m))).ToList();
        if (mode.Json) JsonOutput.Write(Console.Out, mode.Pretty, w => WriteJson(w, name, kernel, packets, skipped, verdicts, maps));
        else Console.Out.Write(Text(name, kernel, packets, skipped, verdicts, maps));
        return 0;
    }

    private static string SingleXdp(CollectionSpec spec, string path)
    {
        var xdp = spec.Programs.Where(p => p.Type == ProgramType.Xdp).ToList();
        return xdp.Count == 1 ? xdp[0].Name
            : throw new CliError(xdp.Count == 0 ? $"{path} has no XDP program" : $"{path} has {xdp.Count} XDP programs ({string.Join(", ", xdp.Select(p => p.Name))}): choose one with --program");
    }

    // Keys and values as hex, in the map's own order; key-less and event maps list nothing.
    private static List<(string Key, string Value)> Dump(ILoadedCollection loaded, MapSpec map)
    {
        var rows = new List<(string, string)>();
        if (map.KeySize == 0 || map.Type is MapType.PerfEventArray or MapType.ProgArray or MapType.ArrayOfMaps or MapType.HashOfMaps) return rows;
        switch (loaded)
        {
            case VmCollection vm:
            {
                VmMap m = vm.Map(map.Name);
                byte[] key = [], next = new byte[m.KeySize], value = new byte[m.HostValueSize];
                while (rows.Count < 1000 && m.GetNextKey(key, next) == MapResult.Ok)
                {
                    if (m.Lookup(next, value) == MapResult.Ok) rows.Add((Convert.ToHexString(next), Convert.ToHexString(value)));
                    key = (byte[])next.Clone();
                }
                break;
            }
            case KernelCollection kc:
            {
                KernelMap m = kc.Map(map.Name);
                byte[] key = [], next = new byte[m.KeySize], value = new byte[m.ValueBufferSize];
                while (rows.Count < 1000 && m.TryGetNextKey(key, next))
                {
                    if (m.TryLookup(next, value)) rows.Add((Convert.ToHexString(next), Convert.ToHexString(value)));
                    key = (byte[])next.Clone();
                }
                break;
            }
        }
        return rows;
    }

    private static string Text(string name, bool kernel, long packets, long skipped, long[] verdicts, List<(string Name, List<(string Key, string Value)> Rows)> maps)
    {
        var s = new System.Text.StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{name} ({(kernel ? "kernel, BPF_PROG_TEST_RUN" : "userspace VM")}): {packets} packets");
        if (skipped > 0) s.Append(CultureInfo.InvariantCulture, $", {skipped} skipped (not Ethernet, or not 14 to 3520 bytes)");
        s.Append('\n');
        for (int v = 0; v < verdicts.Length; v++)
            if (verdicts[v] > 0) s.Append(CultureInfo.InvariantCulture, $"  {(v < XdpVerdicts.Length ? XdpVerdicts[v] : "other"),-13} {verdicts[v],10}\n");
        foreach (var (map, rows) in maps)
        {
            s.Append(CultureInfo.InvariantCulture, $"map {map}: {rows.Count} entries\n");
            foreach (var (key, value) in rows) s.Append(CultureInfo.InvariantCulture, $"  key {key}  value {value}\n");
        }
        return s.ToString();
    }

    private static void WriteJson(Utf8JsonWriter w, string name, bool kernel, long packets, long skipped, long[] verdicts, List<(string Name, List<(string Key, string Value)> Rows)> maps)
    {
        w.WriteStartObject();
        w.WriteString("program", name);
        w.WriteString("engine", kernel ? "kernel" : "interpreter");
        w.WriteNumber("packets", packets);
        w.WriteNumber("skipped", skipped);
        w.WriteStartObject("verdicts");
        for (int v = 0; v < verdicts.Length; v++) w.WriteNumber(v < XdpVerdicts.Length ? XdpVerdicts[v] : "other", verdicts[v]);
        w.WriteEndObject();
        w.WriteStartArray("maps");
        foreach (var (map, rows) in maps)
        {
            w.WriteStartObject();
            w.WriteString("name", map);
            w.WriteStartArray("entries");
            foreach (var (key, value) in rows)
            {
                w.WriteStartObject();
                w.WriteString("key", key);
                w.WriteString("value", value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
