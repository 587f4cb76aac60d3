using Ebpf.Btf;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Commands.Map;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Linux.Links;

namespace Ebpf.Cli.Commands.Prog;

/// <summary>
/// <c>prog load</c> and <c>prog loadall</c>: parse the options, load the object, pin programs (and maps with
/// <c>pinmaps</c>), attach and pin links with <c>autoattach</c>. Replaced maps (<c>map name M pinned P</c>) are handed
/// to the loader as pins in a scratch bpffs directory (bpffs refuses names with dots), the way libbpf reuses pinned maps.
/// </summary>
internal static class ProgLoader
{
    /// <summary>Runs <c>load</c> (<paramref name="all"/> false: pin the first program at PATH) or <c>loadall</c>.</summary>
    public static int Run(string[] args, bool all)
    {
        string command = all ? "prog loadall" : "prog load";
        var words = new Words(args, command);
        string objectPath = words.Next("OBJ");
        string pinPath = words.Next("PATH");
        ProgramType? type = null;
        string? pinMaps = null;
        bool autoAttach = false;
        var replacements = new List<(string? Name, int Index, ObjectReference Map)>();
        while (!words.AtEnd)
        {
            string keyword = words.Next("a keyword");
            switch (keyword)
            {
                case "type": type = ParseType(words.Next("TYPE")); break;
                case "pinmaps": pinMaps = words.Next("MAP_DIR"); break;
                case "autoattach": autoAttach = true; break;
                case "map":
                    string how = words.Next("idx IDX | name NAME");
                    if (how is not ("idx" or "name")) throw new CliError($"{command}: expected 'map idx IDX' or 'map name NAME', got 'map {how}'");
                    string which = words.Next(how == "idx" ? "IDX" : "NAME");
                    int index = how == "idx" ? int.Parse(which, System.Globalization.CultureInfo.InvariantCulture) : -1;
                    replacements.Add((how == "name" ? which : null, index, MapArguments.Reference(words)));
                    break;
                case "dev": throw new CliError($"{command}: 'dev' (hardware offload) is not supported");
                default: throw new CliError($"{command}: unknown keyword '{keyword}' (expected type, map, pinmaps, autoattach)");
            }
        }
        if (!File.Exists(objectPath)) throw new CliError($"{command}: can't open '{objectPath}': no such file");
        KernelBtf.TryGetVmlinux(out BtfSpec? target);   // CO-RE relocates against the running kernel's types, when it has BTF
        CollectionSpec spec = CollectionSpec.LoadFile(objectPath, new CollectionLoadOptions { TargetBtf = target });
        if (type is { } t) spec = spec with { Programs = [.. spec.Programs.Select(p => p with { Type = t })] };
        if (spec.Programs.IsEmpty) throw new CliError($"{command}: '{objectPath}' has no programs");
        if (!all) spec = spec with { Programs = [.. spec.Programs.Select((p, i) => p with { AutoLoad = i == 0 })] };

        string scratch = Path.Combine(BpfFs.DefaultRoot, $"ebpf-load-{Environment.ProcessId}");
        try
        {
            var options = KernelCollectionOptions.Default;
            if (replacements.Count > 0)
            {
                spec = StageReplacements(spec, replacements, scratch, command);
                options = options with { PinPath = scratch };
            }
            using KernelCollection collection = KernelCollection.Load(spec, options);
            var pinned = new List<string>();
            try
            {
                PinAll(collection, spec, pinPath, all, pinMaps, autoAttach, pinned);
            }
            catch
            {
                foreach (string p in pinned) BpfFs.Unpin(p);   // all or nothing, as bpftool
                throw;
            }
            return 0;
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    private static void PinAll(KernelCollection collection, CollectionSpec spec, string pinPath, bool all, string? pinMaps, bool autoAttach, List<string> pinned)
    {
        if (all) Directory.CreateDirectory(pinPath);
        foreach (ProgramSpec p in spec.Programs.Where(p => p.AutoLoad))
        {
            KernelProgram program = collection.Program(p.Name);
            string path = all ? Path.Combine(pinPath, p.Name) : pinPath;
            program.Pin(path);
            pinned.Add(path);
            if (!autoAttach) continue;
            using Ebpf.Linux.Links.Link? link = ProgAutoAttach.Attach(program, p);
            if (link is null) continue;
            if (link is PerfEventLink { IsBpfLink: false })
                throw new CliError(
                    $"autoattach: program {p.Name} ({p.SectionName}) was attached with the perf event ioctl, as kernels before 5.15 " +
                    "have no perf links; such an attachment cannot be pinned and would end with this command. Use a raw_tp/ " +
                    "section, or keep a process holding the attachment (the library's TracepointLink)");
            // The link is pinned beside the program (bpftool 7.2+: PATH_link); the pin keeps it attached after exit.
            string linkPath = all ? Path.Combine(pinPath, p.Name + "_link") : pinPath + "_link";
            link.Pin(linkPath);
            pinned.Add(linkPath);
        }
        if (pinMaps is null) return;
        Directory.CreateDirectory(pinMaps);
        foreach (var (name, map) in collection.Maps)
        {
            // bpffs refuses dots in names before Linux 6.x ("core_tas.bss"): libbpf pins them with '_' instead.
            string path = Path.Combine(pinMaps, name.Replace('.', '_'));
            map.Pin(path);
            pinned.Add(path);
        }
    }

    private static CollectionSpec StageReplacements(CollectionSpec spec, List<(string? Name, int Index, ObjectReference Map)> replacements, string scratch, string command)
    {
        Directory.CreateDirectory(scratch);
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, index, reference) in replacements)
        {
            string mapName = name ?? (index >= 0 && index < spec.Maps.Length ? spec.Maps[index].Name
                : throw new CliError($"{command}: map idx {index} is out of range; the object has {spec.Maps.Length} maps"));
            if (!spec.TryGetMap(mapName, out _)) throw new CliError($"{command}: the object has no map '{mapName}'; it has {string.Join(", ", spec.Maps.Select(m => m.Name))}");
            var (handle, _) = KernelLookup.Map(reference);
            using (handle) BpfFs.Pin(handle, Path.Combine(scratch, mapName));
            replaced.Add(mapName);
        }
        return spec with
        {
            Maps = [.. spec.Maps.Select(m => m with { Pinning = replaced.Contains(m.Name) ? MapPinning.ByName : MapPinning.None })],
        };
    }

    /// <summary>A program type by bpftool's name (<c>xdp</c>, <c>classifier</c>, <c>socket</c>, ... or the kernel's).</summary>
    internal static ProgramType ParseType(string name)
    {
        string kernelName = name switch
        {
            "socket" => "socket_filter",
            "classifier" => "sched_cls",
            "action" => "sched_act",
            "sockops" => "sock_ops",
            "fentry" or "fexit" => "tracing",
            "freplace" => "ext",
            _ => name.Replace('/', '_'),
        };
        foreach (ProgramType t in Enum.GetValues<ProgramType>())
            if (KernelEnumNames.Name(t) == kernelName) return t;
        throw new CliError($"unknown program type '{name}'");
    }
}
