using System.IO.Compression;

namespace Ebpf.Cli.Kernel;

/// <summary>The kernel build configuration (/proc/config.gz or /boot/config-RELEASE), as <c>bpftool feature probe</c> reads it.</summary>
internal static class KernelConfig
{
    /// <summary>The options bpftool reports, in its order.</summary>
    public static readonly string[] Reported =
    [
        "CONFIG_BPF", "CONFIG_BPF_SYSCALL", "CONFIG_HAVE_EBPF_JIT", "CONFIG_BPF_JIT", "CONFIG_BPF_JIT_ALWAYS_ON",
        "CONFIG_DEBUG_INFO_BTF", "CONFIG_DEBUG_INFO_BTF_MODULES", "CONFIG_CGROUPS", "CONFIG_CGROUP_BPF", "CONFIG_CGROUP_NET_CLASSID",
        "CONFIG_SOCK_CGROUP_DATA", "CONFIG_BPF_EVENTS", "CONFIG_KPROBE_EVENTS", "CONFIG_UPROBE_EVENTS", "CONFIG_TRACING",
        "CONFIG_FTRACE_SYSCALLS", "CONFIG_FUNCTION_ERROR_INJECTION", "CONFIG_BPF_KPROBE_OVERRIDE", "CONFIG_NET", "CONFIG_XDP_SOCKETS",
        "CONFIG_LWTUNNEL_BPF", "CONFIG_NET_ACT_BPF", "CONFIG_NET_CLS_BPF", "CONFIG_NET_CLS_ACT", "CONFIG_NET_SCH_INGRESS",
        "CONFIG_XFRM", "CONFIG_IP_ROUTE_CLASSID", "CONFIG_IPV6_SEG6_BPF", "CONFIG_BPF_LIRC_MODE2", "CONFIG_BPF_STREAM_PARSER",
        "CONFIG_NETFILTER_XT_MATCH_BPF", "CONFIG_BPFILTER", "CONFIG_BPFILTER_UMH", "CONFIG_TEST_BPF", "CONFIG_HZ",
    ];

    /// <summary>Every <c>CONFIG_X=value</c> line, or null when no configuration file is readable.</summary>
    public static Dictionary<string, string>? Read()
    {
        string boot = $"/boot/config-{File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}";
        IEnumerable<string>? lines = null;
        if (File.Exists(boot)) lines = File.ReadLines(boot);
        else if (File.Exists("/proc/config.gz"))
        {
            using var gz = new GZipStream(File.OpenRead("/proc/config.gz"), CompressionMode.Decompress);
            using var reader = new StreamReader(gz);
            lines = reader.ReadToEnd().Split('\n');
        }
        if (lines is null) return null;
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith("CONFIG_", StringComparison.Ordinal) && eq > 0) config[line[..eq]] = line[(eq + 1)..].Trim('"');
        }
        return config;
    }
}
