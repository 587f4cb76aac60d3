// The "drop DNS" scenario in the userspace VM, without a kernel and without root: a program written in
// assembler text decides XDP_DROP or XDP_PASS for packets built in C#, and the interpreter runs it.
using Ebpf.Asm;
using Ebpf.Vm;

const ulong XdpDrop = 1, XdpPass = 2;

// r1 = packet start, r2 = packet length (the VM's raw-memory convention).
Instruction[] program = Assembler.Assemble("""
    mov %r0, 2                  # XDP_PASS
    jlt %r2, 42, done           # Ethernet (14) + IPv4 (20) + UDP (8)
    ldxh %r3, [%r1+12]          # EtherType, network order
    jne %r3, 0x0008, done       # 0x0800 read little-endian
    ldxb %r3, [%r1+23]          # IPv4 protocol
    jne %r3, 17, done           # UDP
    ldxh %r3, [%r1+36]          # UDP destination port
    jne %r3, 0x3500, done       # 53 read little-endian
    mov %r0, 1                  # XDP_DROP
    done:
    exit
    """);

Console.WriteLine("program:");
Console.Write(Disassembler.FormatProgram(program));

VmProgram vm = VmProgram.Load(program);
foreach (ushort port in new ushort[] { 53, 443 })
{
    byte[] packet = UdpPacket(port);
    ulong verdict = vm.Run(packet);
    Console.WriteLine($"UDP to port {port,3}: {(verdict == XdpDrop ? "XDP_DROP" : verdict == XdpPass ? "XDP_PASS" : verdict.ToString())}");
}

static byte[] UdpPacket(ushort destinationPort)
{
    var p = new byte[42];
    p[12] = 0x08; p[13] = 0x00;                 // EtherType IPv4
    p[14] = 0x45;                               // version 4, IHL 5
    p[23] = 17;                                 // protocol UDP
    p[36] = (byte)(destinationPort >> 8);       // destination port, big-endian
    p[37] = (byte)destinationPort;
    return p;
}
