namespace Ebpf;

/// <summary>
/// A <c>bpf_func_info</c> record for the kernel: the BTF FUNC that starts at an instruction of the final program
/// (subprograms included, offsets in instructions, adjusted to where each subprogram was appended).
/// </summary>
/// <param name="Instruction">Index of the function's first instruction in <see cref="ProgramSpec.Instructions"/>.</param>
/// <param name="TypeId">The BTF FUNC type id in the object's BTF.</param>
public readonly record struct ProgramFuncInfo(int Instruction, uint TypeId);
