namespace Ebpf.Linux;

/// <summary>A function symbol of the kernel or of a module.</summary>
/// <param name="Address">Its address.</param>
/// <param name="Name">Its name (<c>bpf_map_lookup_elem</c>, <c>bpf_prog_6deef7357e7b4530_xdp_drop</c>).</param>
/// <param name="Type">nm's type letter: <c>T</c>/<c>t</c> (global/local text), <c>W</c>/<c>w</c> (weak).</param>
/// <param name="Module">The module it belongs to (<c>bpf</c> for JIT-compiled programs), null for the core kernel.</param>
public readonly record struct KernelSymbol(ulong Address, string Name, char Type, string? Module);
