using System.CommandLine;
using System.Globalization;
using Ebpf.Btf;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Commands.Map;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands;

/// <summary><c>ebpf struct_ops show|list|dump [STRUCT_OPS_MAP]</c>: the struct_ops maps (kernel ops tables written in BPF).</summary>
internal static class StructOpsCommand
{
    private const string ValuePrefix = "bpf_struct_ops_";

    /// <summary>Creates the command tree.</summary>
    public static Command Create() => new("struct_ops", "Inspect struct_ops maps (kernel operation tables implemented by BPF programs, e.g. TCP congestion control).")
    {
        WordsCommand.Create("show", "[id ID | name NAME]", """
            List struct_ops maps: id, name and the kernel struct they implement.

            Examples:
              ebpf struct_ops show
              ebpf struct_ops list -j
            """, (args, mode) => Run(args, mode, dump: false), "list"),
        WordsCommand.Create("dump", "[id ID | name NAME]", """
            Dump struct_ops maps with their value rendered through the kernel's BTF.

            Examples:
              ebpf struct_ops dump
              ebpf struct_ops dump name dctcp -p
            """, (args, mode) => Run(args, mode, dump: true)),
    };

    private static int Run(string[] args, OutputMode mode, bool dump)
    {
        var words = new Words(args, dump ? "struct_ops dump" : "struct_ops show");
        var maps = words.AtEnd ? KernelLookup.AllMaps() : KernelLookup.Maps(words.Reference("STRUCT_OPS_MAP", ObjectReferenceKind.Id, ObjectReferenceKind.Name));
        words.End();
        try
        {
            var structOps = maps.Where(m => m.Info.Type == MapType.StructOps).ToList();
            BtfSpec? vmlinux = structOps.Count > 0 && KernelBtf.TryGetVmlinux(out BtfSpec? kernel) ? kernel : null;
            string KernelStruct(MapInfo info)
            {
                if (vmlinux is null || info.BtfVmlinuxValueTypeId == 0) return "";
                string name = vmlinux[info.BtfVmlinuxValueTypeId].Name;
                return name.StartsWith(ValuePrefix, StringComparison.Ordinal) ? name[ValuePrefix.Length..] : name;
            }
            if (mode.Json)
            {
                JsonOutput.Write(Console.Out, mode.Pretty, w =>
                {
                    w.WriteStartArray();
                    foreach (var (handle, info) in structOps)
                    {
                        if (!dump)
                        {
                            w.WriteStartObject();
                            w.WriteNumber("id", info.Id);
                            w.WriteString("name", info.Name);
                            w.WriteString("kernel_struct_ops", KernelStruct(info));
                            w.WriteEndObject();
                            continue;
                        }
                        w.WriteStartObject();
                        w.WritePropertyName("bpf_map_info");
                        MapShow.Format.WriteJson(w, MapShow.Read(handle, info));
                        KernelMap map = KernelMap.FromHandle(handle);   // owns the same handle, disposed below
                        byte[] value = new byte[map.ValueBufferSize];
                        if (vmlinux is not null && map.TryLookup(new byte[map.KeySize], value))
                        {
                            w.WritePropertyName(vmlinux[info.BtfVmlinuxValueTypeId].Name);
                            BtfValueJson.Write(w, vmlinux, info.BtfVmlinuxValueTypeId, value);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
                return 0;
            }
            foreach (var (_, info) in structOps)
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{info.Id}: {info.Name,-15} {KernelStruct(info)}"));
            return 0;
        }
        finally
        {
            foreach (var (h, _) in maps) h.Dispose();
        }
    }
}
