using Ebpf.Asm;
using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>bpftool's "misc" probes: verifier limits and ISA extensions, each a tiny socket filter that loads or not.</summary>
internal static class MiscProbes
{
    /// <summary>Programs above 4096 instructions (Linux 5.2+).</summary>
    public static bool LargeInstructionLimit()
    {
        var insns = new Instruction[4097];
        for (int i = 0; i < insns.Length - 2; i++) insns[i] = Instruction.Mov(Register.R0, 0);
        insns[^2] = Instruction.Mov(Register.R0, 0);
        insns[^1] = Instruction.Exit();
        return Loads(insns);
    }

    /// <summary>Bounded loops (a backward jump the verifier can bound, Linux 5.3+).</summary>
    public static bool BoundedLoops() => Loads(
    [
        Instruction.Mov(Register.R0, 10),
        Instruction.Alu(AluOperation.Sub, Register.R0, 1),
        Instruction.Jump(JumpOperation.Jne, Register.R0, 0, -2),
        Instruction.Exit(),
    ]);

    /// <summary>ISA v2: jlt/jle/jslt/jsle (Linux 4.14+).</summary>
    public static bool V2() => Loads(
    [
        Instruction.Mov(Register.R0, 0),
        Instruction.Jump(JumpOperation.Jlt, Register.R0, 1, 1),
        Instruction.Mov(Register.R0, 1),
        Instruction.Exit(),
    ]);

    /// <summary>ISA v3: 32-bit jumps (Linux 5.1+).</summary>
    public static bool V3() => Loads(
    [
        Instruction.Mov(Register.R0, 0),
        Instruction.Jump(JumpOperation.Jlt, Register.R0, 1, 1, is64: false),
        Instruction.Mov(Register.R0, 1),
        Instruction.Exit(),
    ]);

    private static bool Loads(Instruction[] insns)
    {
        try
        {
            using KernelProgram p = ProgramLoader.Load(new ProgramLoadOptions { Type = ProgramType.SocketFilter, Instructions = insns });
            return true;
        }
        catch (Exception e) when (e is BpfException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }
}
