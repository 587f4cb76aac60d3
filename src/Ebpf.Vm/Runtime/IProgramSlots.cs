namespace Ebpf.Vm.Runtime;

/// <summary>
/// A map of programs (BPF_MAP_TYPE_PROG_ARRAY) as engines see it for <c>bpf_tail_call</c>: the image in a slot,
/// or null for an empty or out-of-range one.
/// </summary>
internal interface IProgramSlots
{
    /// <summary>The program in slot <paramref name="index"/>, or null.</summary>
    ProgramImage? Program(uint index);
}
