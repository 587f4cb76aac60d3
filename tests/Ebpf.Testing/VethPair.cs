namespace Ebpf.Testing;

/// <summary>
/// Two fresh network namespaces joined by a veth pair, for tests that attach to interfaces and send traffic: nothing
/// outside them is touched. <c>A</c> holds interface <see cref="InterfaceA"/> with <see cref="AddressA"/>, <c>B</c>
/// holds <see cref="InterfaceB"/> with <see cref="AddressB"/>. Disposing deletes both namespaces (and so the pair).
/// </summary>
public sealed class VethPair : IDisposable
{
    private static int s_counter;

    /// <summary>Creates the namespaces and the pair, addressed and up. Skips the test without root or <c>ip</c>.</summary>
    public VethPair()
    {
        KernelAssert.RequireRoot();
        int n = Interlocked.Increment(ref s_counter);
        // The whole pid and a random part: another test process (a second checkout's suite) runs at the same time,
        // and a pid can come back after a crashed run left its namespaces behind.
        string tag = $"{Environment.ProcessId}-{n}-{Random.Shared.Next(0x10000):x4}";
        NamespaceA = $"ebpft-{tag}-a";
        NamespaceB = $"ebpft-{tag}-b";
        int subnet = (Environment.ProcessId + n) % 250 + 1;
        AddressA = $"10.251.{subnet}.1";
        AddressB = $"10.251.{subnet}.2";
        try
        {
            Ip("netns", "add", NamespaceA);
            Ip("netns", "add", NamespaceB);
            Ip("-n", NamespaceA, "link", "add", InterfaceA, "type", "veth", "peer", "name", InterfaceB, "netns", NamespaceB);
            Ip("-n", NamespaceA, "addr", "add", AddressA + "/30", "dev", InterfaceA);
            Ip("-n", NamespaceB, "addr", "add", AddressB + "/30", "dev", InterfaceB);
            Ip("-n", NamespaceA, "link", "set", InterfaceA, "up");
            Ip("-n", NamespaceB, "link", "set", InterfaceB, "up");
            Ip("-n", NamespaceA, "link", "set", "lo", "up");
            Ip("-n", NamespaceB, "link", "set", "lo", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Name of the first namespace (under /var/run/netns).</summary>
    public string NamespaceA { get; }
    /// <summary>Name of the second namespace.</summary>
    public string NamespaceB { get; }
    /// <summary>The veth end in <see cref="NamespaceA"/>.</summary>
    public string InterfaceA => "veth-a";
    /// <summary>The veth end in <see cref="NamespaceB"/>.</summary>
    public string InterfaceB => "veth-b";
    /// <summary>IPv4 address of <see cref="InterfaceA"/>.</summary>
    public string AddressA { get; }
    /// <summary>IPv4 address of <see cref="InterfaceB"/>.</summary>
    public string AddressB { get; }

    /// <summary>Runs <c>ip ARGS</c>, failing the test when it fails.</summary>
    public static string Ip(params string[] args) => ExternalTool.Run("ip", args);

    /// <summary>Runs <c>ip -n NS ARGS</c> in namespace <paramref name="ns"/>.</summary>
    public static string IpIn(string ns, params string[] args) => ExternalTool.Run("ip", ["-n", ns, .. args]);

    /// <summary>Runs <paramref name="tool"/> inside namespace <paramref name="ns"/> through nsenter, which (unlike
    /// <c>ip netns exec</c>) keeps this mount namespace's /sys, so bpffs pins stay visible.</summary>
    public static string RunIn(string ns, string tool, params string[] args) =>
        ExternalTool.Run("nsenter", ["--net=/var/run/netns/" + ns, ExternalTool.Resolve(tool), .. args]);

    /// <summary>The UDP counters of /proc/net/snmp in namespace <paramref name="ns"/> (InDatagrams, RcvbufErrors, ...).</summary>
    /// <remarks>/proc/net is the reading process's namespace, hence cat inside it.</remarks>
    public static Dictionary<string, ulong> UdpCounters(string ns)
    {
        string[][] udp = RunIn(ns, "cat", "/proc/net/snmp").Split('\n')
            .Where(l => l.StartsWith("Udp: ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToArray();
        return udp[0].Skip(1).Zip(udp[1].Skip(1))
            .ToDictionary(p => p.First, p => ulong.Parse(p.Second, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Deletes both namespaces; the veth pair goes with them.</summary>
    public void Dispose()
    {
        ExternalTool.TryRun("ip", "netns", "del", NamespaceA);
        ExternalTool.TryRun("ip", "netns", "del", NamespaceB);
    }
}
