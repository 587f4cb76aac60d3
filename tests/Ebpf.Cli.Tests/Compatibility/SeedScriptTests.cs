using System.Text.Json;
using System.Text.Json.Nodes;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>
/// The seed documents' bpftool steps (load and pin an XDP program with its maps, attach it by pinned path to a veth,
/// show, dump a map, update an entry, detach, unpin), run once with bpftool and once with ebpf in its place: the
/// outputs agree once the ids the kernel hands out are taken away.
/// </summary>
public class SeedScriptTests
{
    private const string NeedsProgLoad = "needs `ebpf prog load` (branch cli)";

    [Fact]
    public void SeedScript_RunsUnchangedWithEbpf()
    {
        KernelAssert.RequireRoot();
        if (!EbpfHas("prog", "load") || !EbpfHas("map", "lookup") || !EbpfHas("map", "update")) Assert.Skip(NeedsProgLoad);
        Assert.Equal(RunScript(useEbpf: step => true), RunScript(useEbpf: step => false));
    }

    /// <summary>The same script with ebpf for the steps it has today (net attach/show/detach) and bpftool for the rest.</summary>
    [Fact]
    public void SeedScript_NetStepsWithEbpf_AgreeWithBpftool()
    {
        KernelAssert.RequireRoot();
        Assert.Equal(RunScript(useEbpf: step => false), RunScript(useEbpf: step => step.StartsWith("net", StringComparison.Ordinal)));
    }

    private static List<string> RunScript(Func<string, bool> useEbpf)
    {
        using var veth = new VethPair();
        using var pins = new BpfFsDirectory();
        string ns = veth.NamespaceA, dev = veth.InterfaceA;
        string prog = pins["xdp_drop_udp53"], maps = pins["maps"], map = pins["maps"] + "/drop_stats";
        var outputs = new List<string>();
        string Step(bool inNamespace, params string[] args)
        {
            string name = string.Join(' ', args.Where(a => !a.StartsWith('-')).Take(2));
            string? where = inNamespace ? ns : null;
            string output = useEbpf(name) ? SideBySide.Ebpf(where, args) : SideBySide.Bpftool(where, args);
            outputs.Add($"{name}: {Normalize(output)}");
            return output;
        }
        Step(false, "prog", "load", RepoPaths.BpfObject("xdp_drop_udp53.o"), prog, "type", "xdp", "pinmaps", maps);
        Step(true, "net", "attach", "xdpgeneric", "pinned", prog, "dev", dev);
        Step(true, "-j", "net", "show", "dev", dev);
        Step(true, "net", "show");
        Step(false, "-j", "map", "lookup", "pinned", map, "key", "1", "0", "0", "0");   // slot 1: dropped DNS, no traffic here
        Step(false, "map", "update", "pinned", map, "key", "1", "0", "0", "0", "value", "5", "0", "0", "0", "0", "0", "0", "0");
        Step(false, "-j", "map", "lookup", "pinned", map, "key", "1", "0", "0", "0");
        Step(true, "net", "detach", "xdpgeneric", "dev", dev);
        Step(true, "-j", "net", "show", "dev", dev);
        File.Delete(prog);   // unpin, as 'rm' in the seed script
        Assert.False(File.Exists(prog));
        return outputs;
    }

    /// <summary>Program and map ids differ between runs: replace every "id" value and "id N" in text.</summary>
    private static string Normalize(string output)
    {
        string text = output.Trim();
        if (text.Length == 0 || (text[0] != '[' && text[0] != '{'))
            return System.Text.RegularExpressions.Regex.Replace(text, @"\bid \d+", "id N");
        JsonNode? node = JsonNode.Parse(text);
        void Walk(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                foreach (string key in o.Select(p => p.Key).ToList())
                    if (key is "id" or "prog_id") o[key] = "N"; else Walk(o[key]);
            }
            else if (n is JsonArray a) foreach (JsonNode? item in a) Walk(item);
        }
        Walk(node);
        return node!.ToJsonString();
    }

    private static bool EbpfHas(string group, string command) =>
        Ebpf.Cli.Commands.EbpfCommand.Create().Subcommands.FirstOrDefault(c => c.Name == group)?.Subcommands.Any(c => c.Name == command) == true;
}
