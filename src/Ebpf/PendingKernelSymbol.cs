namespace Ebpf;

/// <summary>
/// A typed <c>__ksym</c> extern (a kernel variable or kfunc) left for load time because the object was read without
/// a target BTF: the instruction that takes the kernel's BTF id.
/// </summary>
/// <param name="Instruction">Index into <see cref="ProgramSpec.Instructions"/>: an <c>lddw</c> (variable) or a <c>call</c> (kfunc).</param>
/// <param name="Name">The symbol's name.</param>
/// <param name="IsFunction">A kfunc (BTF FUNC) rather than a variable (BTF VAR).</param>
/// <param name="IsWeak">Declared <c>__weak</c>: a kernel without it leaves the instruction at 0 instead of failing.</param>
public readonly record struct PendingKernelSymbol(int Instruction, string Name, bool IsFunction, bool IsWeak);
