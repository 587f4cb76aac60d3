using System.Buffers.Binary;
using Ebpf.Linux;
using Ebpf.Testing;
using Ebpf.Vm.Maps;
using Xunit.Sdk;

namespace Ebpf.Vm.Tests;

/// <summary>
/// Every XDP, TC and socket filter program of the project's objects, run on the same generated packets in the kernel
/// (BPF_PROG_TEST_RUN) and in the VM: the verdict and the output packet of every run, and afterwards the contents of
/// every map, must be the kernel's.
/// </summary>
public sealed class PacketDifferentialTests(ITestOutputHelper output)
{
    // Every XDP program of bpf/ (events and ring buffer benchmarks aside: perf event arrays, user ring buffers), and
    // the TC and socket filter programs.
    private static readonly (string Object, string Program)[] Programs =
    [
        ("xdp_drop_udp53.o", "xdp_drop_udp53"),
        ("tests/alu_mix.o", "alu64_mix"),
        ("tests/alu_mix.o", "alu32_mix"),
        ("tests/long_names.o", "xdp_pass_with_a_long"),
        ("tests/map_values.o", "touch"),
        ("tests/isa_extensions.o", "isa_extensions"),
        ("tests/maps_mix.o", "maps_prog"),          // hash, array, per-CPU hash, LRU, ring buffer, array of maps
        ("tests/linking_mix.o", "prog_a"),          // tail calls, hash of maps, bpf_loop
        ("tests/linking_mix.o", "prog_b"),
        ("tests/globals_subprog.o", "globals_prog"), // .data/.rodata/.bss, subprograms, a bpf_loop callback
        ("tests/xdp_adjust.o", "xdp_adjust"),        // adjust_head/tail/meta, metadata
        // __sk_buff programs: TC from the MAC header, socket filters from the network header.
        ("tests/tc_pass.o", "tc_pass"),
        ("tests/tc_egress_count.o", "tc_egress_count"),
        ("tests/tc_dscp.o", "mark_dscp"),           // direct packet access, l3_csum_replace, skb_store_bytes
        ("tests/long_names.o", "tc_pass_with_a_long_name"),
        ("tests/socket_filter.o", "filter_small"),  // skb->len, the return value cuts the packet
    ];

    [Fact]
    public void GeneratedPackets_GiveTheKernelsVerdictsPacketsAndMaps()
    {
        KernelAssert.RequireRoot();
        int cpu = CpuAffinity.Usable(Enumerable.Range(0, Math.Min(PossibleCpus.Count, 64))).First();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(cpu);
                foreach (var (obj, prog) in Programs) Compare(obj, prog, cpu);
            }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is SkipException) throw failure;
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private void Compare(string obj, string name, int cpu)
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject(obj));
        using (VmCollection vm = VmCollection.Load(spec, new VmOptions { Cpu = cpu }, new VmMapOptions { CpuCount = PossibleCpus.Count }))
        using (KernelCollection kernel = KernelAssert.RunOrSkip(() => KernelCollection.Load(spec)))
        {
            IProgram k = kernel.GetProgram(name), v = vm.GetProgram(name);
            var random = new Random(name.Length * 7919 + obj.Length);
            byte[] kOut = new byte[4096], vOut = new byte[4096];
            var verdicts = new Dictionary<uint, int>();
            for (int i = 0; i < 1500; i++)
            {
                byte[] packet = PacketGenerator.Next(random);
                uint expected;
                int kLength;
                try { expected = k.TestRun(packet, kOut, out kLength, out _); }
                catch (BpfException e) when (e.Errno == Errno.EINVAL)
                {
                    // The kernel refuses some inputs (an IP packet shorter than its header, for skb test runs): so must the VM.
                    Assert.Throws<ArgumentException>(() => v.TestRun(packet, vOut, out _, out _));
                    verdicts[uint.MaxValue] = verdicts.GetValueOrDefault(uint.MaxValue) + 1;
                    continue;
                }
                uint actual = v.TestRun(packet, vOut, out int vLength, out _);
                Assert.True(expected == actual, $"{name}, packet {i} ({Convert.ToHexString(packet.AsSpan(0, Math.Min(packet.Length, 64)))}): the kernel says {expected}, the VM {actual}");
                Assert.True(kOut.AsSpan(0, kLength).SequenceEqual(vOut.AsSpan(0, vLength)), $"{name}, packet {i}: the output packets differ");
                verdicts[expected] = verdicts.GetValueOrDefault(expected) + 1;
            }
            output.WriteLine($"{obj} {name}: 1500 packets, verdicts {string.Join(", ", verdicts.OrderBy(p => p.Key).Select(p => $"{(p.Key == uint.MaxValue ? "refused" : p.Key)}x{p.Value}"))}");
            foreach (MapSpec map in spec.Maps.Where(m => m.Type is MapType.Array or MapType.PerCpuArray or MapType.Hash or MapType.PerCpuHash))
                Assert.Equal(Contents(kernel.Map(map.Name)), Contents(vm.Map(map.Name)));
            // LRU maps here are keyed by bpf_ktime_get_ns: the same evictions leave the same values, under other keys.
            foreach (MapSpec map in spec.Maps.Where(m => m.Type == MapType.LruHash))
                Assert.Equal(Values(Contents(kernel.Map(map.Name))), Values(Contents(vm.Map(map.Name))));
        }
    }

    private static List<string> Values(List<string> rows) => [.. rows.Select(r => r[(r.IndexOf('=') + 1)..]).Order(StringComparer.Ordinal)];

    // Every key with its value bytes, sorted (hash maps without BPF_F_ZERO_SEED iterate in a seed-dependent order).
    private static List<string> Contents(KernelMap map)
    {
        var rows = new List<string>();
        byte[] key = [], next = new byte[map.KeySize], value = new byte[map.ValueBufferSize];
        while (map.TryGetNextKey(key, next))
        {
            Assert.True(map.TryLookup(next, value));
            rows.Add($"{Convert.ToHexString(next)}={Convert.ToHexString(value)}");
            key = (byte[])next.Clone();
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static List<string> Contents(VmMap map)
    {
        var rows = new List<string>();
        byte[] key = [], next = new byte[map.KeySize], value = new byte[map.HostValueSize];
        while (map.GetNextKey(key, next) == MapResult.Ok)
        {
            Assert.Equal(MapResult.Ok, map.Lookup(next, value));
            rows.Add($"{Convert.ToHexString(next)}={Convert.ToHexString(value)}");
            key = (byte[])next.Clone();
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}

/// <summary>
/// Packets of the shapes XDP programs branch on: Ethernet with IPv4, IPv6, 802.1Q VLAN, ARP or random EtherTypes;
/// IPv4 with options, UDP (DNS on port 53 often), TCP, ICMP or random protocols; cut at random places.
/// </summary>
internal static class PacketGenerator
{
    public static byte[] Next(Random random)
    {
        var p = new List<byte>(128);
        p.AddRange(Bytes(random, 12));                                     // destination and source MAC
        int shape = random.Next(10);
        if (shape == 0) { p.AddRange([0x81, 0x00]); p.AddRange(Bytes(random, 2)); }   // VLAN tag, then the inner type
        ushort etherType = shape switch
        {
            < 6 => 0x0800,
            6 => 0x86dd,
            7 => 0x0806,
            _ => (ushort)random.Next(0x10000),
        };
        p.Add((byte)(etherType >> 8));
        p.Add((byte)etherType);
        if (etherType == 0x0800)
        {
            int ihl = random.Next(8) == 0 ? random.Next(5, 16) : 5;
            byte protocol = random.Next(6) switch { 0 or 1 or 2 => 17, 3 => 6, 4 => 1, _ => (byte)random.Next(256) };
            byte[] ip = Bytes(random, ihl * 4);
            ip[0] = (byte)(0x40 | ihl);
            ip[9] = protocol;
            p.AddRange(ip);
            byte[] l4 = Bytes(random, 8 + random.Next(64));
            if (protocol == 17 && random.Next(2) == 0) BinaryPrimitives.WriteUInt16BigEndian(l4.AsSpan(2), 53);
            p.AddRange(l4);
        }
        else p.AddRange(Bytes(random, random.Next(0, 80)));
        byte[] packet = [.. p];
        // Truncated packets: the bounds checks must end the same way in both.
        if (random.Next(5) == 0) packet = packet[..random.Next(14, packet.Length + 1)];
        return packet;
    }

    private static byte[] Bytes(Random random, int n)
    {
        byte[] b = new byte[n];
        random.NextBytes(b);
        return b;
    }
}
