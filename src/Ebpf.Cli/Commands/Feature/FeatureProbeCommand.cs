using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ebpf.Asm;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Linux.Features;

namespace Ebpf.Cli.Commands.Feature;

/// <summary><c>ebpf feature probe [kernel] [full]</c>: what this kernel supports, in bpftool's sections.</summary>
internal static class FeatureProbeCommand
{
    // bpftool leaves these out unless 'full': probing them writes warnings to the kernel log.
    private static readonly HashSet<string> s_noisyHelpers = new(StringComparer.Ordinal) { "bpf_trace_printk", "bpf_trace_vprintk", "bpf_probe_write_user" };

    // The kernel options bpftool reports, in its order.
    private static readonly string[] s_reportedConfig =
    [
        "CONFIG_BPF", "CONFIG_BPF_SYSCALL", "CONFIG_HAVE_EBPF_JIT", "CONFIG_BPF_JIT", "CONFIG_BPF_JIT_ALWAYS_ON",
        "CONFIG_DEBUG_INFO_BTF", "CONFIG_DEBUG_INFO_BTF_MODULES", "CONFIG_CGROUPS", "CONFIG_CGROUP_BPF", "CONFIG_CGROUP_NET_CLASSID",
        "CONFIG_SOCK_CGROUP_DATA", "CONFIG_BPF_EVENTS", "CONFIG_KPROBE_EVENTS", "CONFIG_UPROBE_EVENTS", "CONFIG_TRACING",
        "CONFIG_FTRACE_SYSCALLS", "CONFIG_FUNCTION_ERROR_INJECTION", "CONFIG_BPF_KPROBE_OVERRIDE", "CONFIG_NET", "CONFIG_XDP_SOCKETS",
        "CONFIG_LWTUNNEL_BPF", "CONFIG_NET_ACT_BPF", "CONFIG_NET_CLS_BPF", "CONFIG_NET_CLS_ACT", "CONFIG_NET_SCH_INGRESS",
        "CONFIG_XFRM", "CONFIG_IP_ROUTE_CLASSID", "CONFIG_IPV6_SEG6_BPF", "CONFIG_BPF_LIRC_MODE2", "CONFIG_BPF_STREAM_PARSER",
        "CONFIG_NETFILTER_XT_MATCH_BPF", "CONFIG_BPFILTER", "CONFIG_BPFILTER_UMH", "CONFIG_TEST_BPF", "CONFIG_HZ",
    ];

    /// <summary>Creates <c>feature</c> with its <c>probe</c> subcommand.</summary>
    public static Command Create() => new("feature", "Probe what the running kernel supports.")
    {
        WordsCommand.Create("probe", "[kernel] [full]", """
            Probe the running kernel: system configuration (sysctls, CONFIG_*), the bpf() syscall, program types,
            map types, the helpers each program type may call, and misc verifier features. Every answer comes from
            creating a throwaway object, never from the version number. 'full' also probes the helpers that write
            warnings to the kernel log (bpf_trace_printk, bpf_probe_write_user).

            Examples:
              ebpf feature probe
              ebpf feature probe kernel -j
              ebpf feature probe kernel full -p
            """, Run),
    };

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "feature probe");
        words.Accept("kernel");
        bool full = words.Accept("full");
        words.End();
        var system = SystemConfig();
        var programTypes = Enum.GetValues<ProgramType>().Where(t => t != ProgramType.Unspec)
            .Select(t => (Type: t, Present: KernelFeatures.ProgramType(t).IsSupported)).ToList();
        var mapTypes = Enum.GetValues<MapType>().Where(t => t != MapType.Unspec)
            .Select(t => (Name: KernelEnumNames.Name(t), Present: KernelFeatures.MapType(t).IsSupported)).ToList();
        var helpers = programTypes.Select(p => (Name: KernelEnumNames.Name(p.Type), Helpers: p.Present ? Helpers(p.Type, full) : [])).ToList();
        var misc = new (string, bool)[]
        {
            ("have_large_insn_limit", KernelFeatures.LargeInstructionLimit.IsSupported), ("have_bounded_loops", KernelFeatures.BoundedLoops.IsSupported),
            ("have_v2_isa_extension", KernelFeatures.InstructionSetV2.IsSupported), ("have_v3_isa_extension", KernelFeatures.InstructionSetV3.IsSupported),
        };
        if (mode.Json)
        {
            JsonOutput.Write(Console.Out, mode.Pretty, w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("system_config");
                foreach (var (key, value) in system)
                {
                    if (value is null) w.WriteNull(key);
                    else if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) && !key.StartsWith("CONFIG_", StringComparison.Ordinal)) w.WriteNumber(key, n);
                    else w.WriteString(key, value);
                }
                w.WriteEndObject();
                w.WriteStartObject("syscall_config");
                w.WriteBoolean("have_bpf_syscall", true);
                w.WriteEndObject();
                w.WriteStartObject("program_types");
                foreach (var (t, present) in programTypes) w.WriteBoolean($"have_{KernelEnumNames.Name(t)}_prog_type", present);
                w.WriteEndObject();
                w.WriteStartObject("map_types");
                foreach (var (name, present) in mapTypes) w.WriteBoolean($"have_{name}_map_type", present);
                w.WriteEndObject();
                w.WriteStartObject("helpers");
                foreach (var (name, list) in helpers)
                {
                    w.WriteStartArray($"{name}_available_helpers");
                    foreach (string h in list) w.WriteStringValue(h);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
                w.WriteStartObject("misc");
                foreach (var (name, present) in misc) w.WriteBoolean(name, present);
                w.WriteEndObject();
                w.WriteEndObject();
            });
            return 0;
        }
        var o = Console.Out;
        o.WriteLine("Scanning system configuration...");
        foreach (var (key, value) in system)
            o.WriteLine(key.StartsWith("CONFIG_", StringComparison.Ordinal) ? (value is null ? $"{key} is not set" : $"{key} is set to {value}") : $"{key} is {value ?? "unknown"}");
        o.WriteLine();
        o.WriteLine("Scanning system call availability...");
        o.WriteLine("bpf() syscall is available");
        o.WriteLine();
        o.WriteLine("Scanning eBPF program types...");
        foreach (var (t, present) in programTypes) o.WriteLine($"eBPF program_type {KernelEnumNames.Name(t)} is {(present ? "" : "NOT ")}available");
        o.WriteLine();
        o.WriteLine("Scanning eBPF map types...");
        foreach (var (name, present) in mapTypes) o.WriteLine($"eBPF map_type {name} is {(present ? "" : "NOT ")}available");
        o.WriteLine();
        o.WriteLine("Scanning eBPF helper functions...");
        foreach (var (name, list) in helpers)
        {
            o.WriteLine($"eBPF helpers supported for program type {name}:");
            foreach (string h in list) o.WriteLine($"\t- {h}");
        }
        o.WriteLine();
        o.WriteLine("Scanning miscellaneous eBPF features...");
        foreach (var (name, present) in misc) o.WriteLine($"{name[5..].Replace('_', ' ')} is {(present ? "" : "NOT ")}available");
        return 0;
    }

    private static List<string> Helpers(ProgramType type, bool full)
    {
        var names = new List<string>();
        for (int id = 1; id <= HelperNames.MaxId; id++)
        {
            string? name = HelperNames.Get(id);
            if (name is null || (!full && s_noisyHelpers.Contains(name))) continue;
            if (KernelFeatures.Helper(type, id).IsSupported) names.Add(name);
        }
        return names;
    }

    private static List<(string Key, string? Value)> SystemConfig()
    {
        static string? Sysctl(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        var list = new List<(string, string?)>
        {
            ("unprivileged_bpf_disabled", Sysctl("/proc/sys/kernel/unprivileged_bpf_disabled")),
            ("bpf_jit_enable", Sysctl("/proc/sys/net/core/bpf_jit_enable")),
            ("bpf_jit_harden", Sysctl("/proc/sys/net/core/bpf_jit_harden")),
            ("bpf_jit_kallsyms", Sysctl("/proc/sys/net/core/bpf_jit_kallsyms")),
            ("bpf_jit_limit", Sysctl("/proc/sys/net/core/bpf_jit_limit")),
        };
        KernelConfigFile.TryRead(out IReadOnlyDictionary<string, string>? config);
        // bpftool prints string options without their quotes.
        foreach (string key in s_reportedConfig)
            list.Add((key, config is not null && config.TryGetValue(key, out string? v) ? v.Trim('"') : null));
        return list;
    }
}
