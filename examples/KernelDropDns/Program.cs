// The "drop DNS" scenario in the kernel: load bpf/xdp_drop_udp53.o with Ebpf.Net's own loader (no libbpf),
// attach it to an interface with an XDP link, and read its per-CPU counters until Ctrl-C.
// Usage (root): dotnet run --project examples/KernelDropDns -- IFNAME [artifacts/bpf/xdp_drop_udp53.o]
using Ebpf;
using Ebpf.Btf;
using Ebpf.Linux;
using Ebpf.Linux.Links;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: KernelDropDns IFNAME [OBJECT]   (attaches to IFNAME; use a veth in a test namespace)");
    return 2;
}
string ifname = args[0];
string objectPath = args.Length > 1 ? args[1] : "artifacts/bpf/xdp_drop_udp53.o";

// The kernel's BTF lets CO-RE programs relocate; this one has none, but passing it is the general recipe.
BtfSpec? kernelBtf = File.Exists("/sys/kernel/btf/vmlinux") ? BtfReader.Parse(File.ReadAllBytes("/sys/kernel/btf/vmlinux")) : null;
CollectionSpec spec = CollectionSpec.LoadFile(objectPath, new CollectionLoadOptions { TargetBtf = kernelBtf });

using KernelCollection collection = KernelCollection.Load(spec);
KernelProgram program = collection.Program("xdp_drop_udp53");
int ifindex = InterfaceIndex(ifname);
using XdpLink link = XdpLink.Attach(program, ifindex, XdpMode.Generic);
Console.WriteLine($"attached {program} to {ifname} (ifindex {ifindex}); Ctrl-C detaches");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
KernelMap stats = collection.Map("drop_stats");
while (!stop.IsCancellationRequested)
{
    Console.WriteLine($"passed {Total(stats, 0)}, dropped {Total(stats, 1)}");
    try { await Task.Delay(1000, stop.Token); } catch (OperationCanceledException) { }
}
return 0;

// drop_stats is a per-CPU array: [0] passed, [1] dropped; sum over all CPUs.
static ulong Total(KernelMap map, uint slot)
{
    var values = new byte[map.ValueBufferSize];
    if (!map.TryLookup(BitConverter.GetBytes(slot), values)) return 0;
    ulong sum = 0;
    for (int offset = 0; offset + 8 <= values.Length; offset += map.ValueStride)
        sum += BitConverter.ToUInt64(values, offset);
    return sum;
}

static int InterfaceIndex(string name)
{
    string path = $"/sys/class/net/{name}/ifindex";
    return File.Exists(path) ? int.Parse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture)
        : throw new ArgumentException($"no network interface '{name}' (ls /sys/class/net)");
}
