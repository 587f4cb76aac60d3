using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>The compiled programs of bpf/tests used by the hook tests, and the interface facts they check.</summary>
internal static class HookObjects
{
    /// <summary>Loads bpf/tests/<paramref name="file"/> (maps and programs) into the kernel.</summary>
    internal static KernelCollection Load(string file) =>
        KernelCollection.Load(CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/" + file)));

    /// <summary>
    /// Waits (boundedly, <see cref="Wait.Generous"/>) for <paramref name="condition"/>: a closed link lives on while
    /// another process holds a temporary fd of it (a parallel test's or another suite's <c>bpftool link show</c> opens
    /// every link), so "gone" is eventual.
    /// </summary>
    internal static bool Eventually(Func<bool> condition) => Wait.Until(condition);

    /// <summary>Counter <paramref name="slot"/> of an array map of u64.</summary>
    internal static ulong Read(KernelMap map, int slot) => map.TryLookup((uint)slot, out ulong v) ? v : 0;

    /// <summary>The interface's packet counters (<c>ip -s link show</c>): received and sent frames.</summary>
    internal static (ulong Rx, ulong Tx) Counters(string ns, string device)
    {
        using var doc = JsonDocument.Parse(VethPair.IpIn(ns, "-s", "-j", "link", "show", "dev", device));
        JsonElement stats = doc.RootElement[0].GetProperty("stats64");
        return (stats.GetProperty("rx").GetProperty("packets").GetUInt64(), stats.GetProperty("tx").GetProperty("packets").GetUInt64());
    }

    /// <summary>
    /// Makes the pair quiet: permanent neighbour entries (no ARP) and IPv6 off (no router solicitations, MLD, DAD), so
    /// every frame on the wire is one the test sent and interface counters can be compared with program counters.
    /// </summary>
    internal static void Quiet(VethPair veth)
    {
        foreach (string ns in new[] { veth.NamespaceA, veth.NamespaceB })
            VethPair.RunIn(ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 && echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6");
        VethPair.IpIn(veth.NamespaceA, "neigh", "replace", veth.AddressB, "lladdr", Mac(veth.NamespaceB, veth.InterfaceB), "dev", veth.InterfaceA, "nud", "permanent");
        VethPair.IpIn(veth.NamespaceB, "neigh", "replace", veth.AddressA, "lladdr", Mac(veth.NamespaceA, veth.InterfaceA), "dev", veth.InterfaceB, "nud", "permanent");
    }

    private static string Mac(string ns, string device)
    {
        using var doc = JsonDocument.Parse(VethPair.IpIn(ns, "-j", "link", "show", "dev", device));
        return doc.RootElement[0].GetProperty("address").GetString()!;
    }
}
