namespace Ebpf.Vm.Runtime;

/// <summary>Which kernel context a packet program's r1 points at, so its pointer fields read as packet addresses.</summary>
internal enum PacketContextKind : byte
{
    /// <summary>No packet context: r1 is plain memory.</summary>
    None,
    /// <summary><c>struct xdp_md</c>: data at 0, data_end at 4, data_meta at 8.</summary>
    Xdp,
    /// <summary><c>struct __sk_buff</c>: data at 76, data_end at 80, data_meta at 140.</summary>
    SocketBuffer,
}
