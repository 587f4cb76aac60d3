using System.Collections.Immutable;
using Ebpf.Asm;
using Ebpf.Btf;
using Ebpf.CoRe;

namespace Ebpf;

/// <summary>
/// Applies what a spec read without a target BTF left open (<see cref="ProgramSpec.PendingCoRe"/> and
/// <see cref="ProgramSpec.PendingKernelSymbols"/>) against a kernel's BTF, with the same rules the reader uses when
/// it is given the target up front, so both paths produce the same instructions.
/// </summary>
internal static class KernelReferenceResolver
{
    public static CollectionSpec Resolve(CollectionSpec spec, BtfSpec target)
    {
        if (!spec.Programs.Any(p => p.HasPendingCoRe)) return spec;
        // One relocator for the whole object: candidate lists are computed once per local type, as libbpf caches them.
        CoReRelocator? relocator = spec.Btf is null ? null : new CoReRelocator(spec.Btf, target);
        ImmutableArray<ProgramSpec>.Builder programs = ImmutableArray.CreateBuilder<ProgramSpec>(spec.Programs.Length);
        foreach (ProgramSpec program in spec.Programs)
            programs.Add(program.HasPendingCoRe ? Resolve(program, relocator, target) : program);
        return spec with { Programs = programs.MoveToImmutable() };
    }

    private static ProgramSpec Resolve(ProgramSpec program, CoReRelocator? relocator, BtfSpec target)
    {
        Instruction[] code = [.. program.Instructions];
        foreach (PendingCoReRelocation pending in program.PendingCoRe)
        {
            if (relocator is null)
                throw new ObjectRelocationException($"program '{program.Name}' has CO-RE relocations but the object has no BTF", pending.Section);
            if ((uint)pending.Instruction >= (uint)code.Length)
                throw new ObjectRelocationException($"program '{program.Name}': CO-RE relocation at instruction {pending.Instruction} is outside its {code.Length} instructions", pending.Section);
            relocator.Apply(code, pending.Instruction, pending.Relocation, pending.Section);
        }
        foreach (PendingKernelSymbol ksym in program.PendingKernelSymbols)
        {
            int i = ksym.Instruction;
            if ((uint)i >= (uint)code.Length || (!ksym.IsFunction && i + 1 >= code.Length))
                throw new ObjectRelocationException($"program '{program.Name}': ksym '{ksym.Name}' at instruction {i} is outside the program", ".ksyms", symbol: ksym.Name);
            BtfKind kind = ksym.IsFunction ? BtfKind.Func : BtfKind.Var;
            if (!target.TryFind(ksym.Name, kind, out uint id))
            {
                if (!ksym.IsWeak) throw new ObjectRelocationException($"kernel {kind} not found in the target BTF", ".ksyms", symbol: ksym.Name);
                id = 0;
            }
            if (ksym.IsFunction)
                code[i] = code[i].WithSource((Register)CallSource.Kfunc).WithImmediate((int)id).WithOffset(0);
            else if (id != 0)
                code[i] = code[i].WithSource((Register)LoadImmediateSource.BtfId).WithImmediate((int)id);
        }
        return program with
        {
            Instructions = [.. code],
            CoReRelocationCount = program.CoReRelocationCount + program.PendingCoRe.Length,
            PendingCoRe = [],
            PendingKernelSymbols = [],
        };
    }
}
