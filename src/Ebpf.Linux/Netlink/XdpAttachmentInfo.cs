namespace Ebpf.Linux.Links;

/// <summary>The XDP program attached to an interface, as IFLA_XDP reports it.</summary>
/// <param name="ProgramId">The attached program's id.</param>
/// <param name="Mode">Where it runs.</param>
public sealed record XdpAttachmentInfo(uint ProgramId, XdpAttachedMode Mode);
