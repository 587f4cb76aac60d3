namespace Ebpf.Linux.Links;

/// <summary>The side of an interface a TC program runs on.</summary>
public enum TcDirection
{
    /// <summary>Packets the interface receives (BPF_TCX_INGRESS; clsact's ingress).</summary>
    Ingress,
    /// <summary>Packets the interface sends (BPF_TCX_EGRESS; clsact's egress).</summary>
    Egress,
}
