namespace Ebpf.Linux.Links;

/// <summary>
/// A TC program on an interface's ingress or egress, however it got there (a <see cref="TcxLink"/> or a
/// <see cref="ClsactAttachment"/>). Disposing detaches it.
/// </summary>
public interface ITcAttachment : IDisposable
{
    /// <summary>The interface's index (in the namespace where the program was attached).</summary>
    int Ifindex { get; }

    /// <summary>Ingress or egress.</summary>
    TcDirection Direction { get; }

    /// <summary><see cref="TcAttachMode.Tcx"/> or <see cref="TcAttachMode.Clsact"/>: the mechanism in use.</summary>
    TcAttachMode Mode { get; }

    /// <summary>
    /// Replaces the attached program with <paramref name="program"/> atomically: every packet runs either the old or
    /// the new program (BPF_LINK_UPDATE for tcx; a cls_bpf filter change, which swaps the program under RCU, for clsact).
    /// </summary>
    void Update(KernelProgram program);
}
