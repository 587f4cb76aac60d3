using Ebpf.Asm;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Features;

// bpftool's "misc" probes: verifier limits and ISA extensions, each a socket filter that loads or not.
internal static unsafe partial class Probes
{
    /// <summary>More than 4096 instructions (BPF_MAXINSNS) in one program: the 1M-instruction verifier limit (Linux 5.2+).</summary>
    internal static ProbeResult LargeInstructionLimit()
    {
        var insns = new Instruction[4097];
        Array.Fill(insns, Instruction.Mov(Register.R0, 0));
        insns[^1] = Instruction.Exit();
        return LoadsWithoutLog(insns);
    }

    /// <summary>A backward jump the verifier can bound: a loop of ten (Linux 5.3+).</summary>
    internal static ProbeResult BoundedLoops() => LoadsWithoutLog(
    [
        Instruction.Mov(Register.R0, 10),
        Instruction.Alu(AluOperation.Sub, Register.R0, 1),
        Instruction.Jump(JumpOperation.Jne, Register.R0, 0, -2),
        Instruction.Exit(),
    ]);

    /// <summary>ISA v2: jlt/jle/jslt/jsle (Linux 4.14+).</summary>
    internal static ProbeResult InstructionSetV2() => LoadsWithoutLog(
    [
        Instruction.Mov(Register.R0, 0),
        Instruction.Jump(JumpOperation.Jlt, Register.R0, 1, 1),
        Instruction.Mov(Register.R0, 1),
        Instruction.Exit(),
    ]);

    /// <summary>ISA v3: 32-bit jumps (Linux 5.1+).</summary>
    internal static ProbeResult InstructionSetV3() => LoadsWithoutLog(
    [
        Instruction.Mov(Register.R0, 0),
        Instruction.Jump(JumpOperation.Jlt, Register.R0, 1, 1, is64: false),
        Instruction.Mov(Register.R0, 1),
        Instruction.Exit(),
    ]);

    /// <summary>
    /// Loads a socket filter without a verifier log, as bpftool's probes do: at log level 1 the verifier writes a line
    /// per instruction, and a log too small for 4097 of them fails the load with ENOSPC, which would read as "missing".
    /// </summary>
    private static ProbeResult LoadsWithoutLog(Instruction[] insns)
    {
        Libc.TryRaiseMemlockLimit();
        byte[] license = "GPL\0"u8.ToArray();
        fixed (Instruction* pi = insns)
        fixed (byte* pl = license)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = (uint)Ebpf.ProgramType.SocketFilter, InsnCnt = (uint)insns.Length, Insns = Bpf.Ptr(pi), License = Bpf.Ptr(pl),
            };
            int r = Bpf.Invoke(BpfCommand.ProgLoad, ref attr);
            if (r >= 0) { Libc.Close(r); return ProbeResult.Present; }
            return -r is (int)Errno.EPERM or (int)Errno.ENOMEM ? ProbeResult.Inconclusive : ProbeResult.Missing;
        }
    }
}
