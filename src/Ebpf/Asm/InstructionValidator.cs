namespace Ebpf.Asm;

/// <summary>
/// Decides whether a slot is an instruction RFC 9669 (plus the kernel's pseudo forms) defines, and which
/// conformance group it belongs to. The rules are the encoding rules only: register and field values the ISA
/// allows; whether a program is safe is the verifier's business.
/// </summary>
public static class InstructionValidator
{
    /// <summary>Highest valid register number (r10, the frame pointer).</summary>
    private const int MaxRegister = 10;

    /// <summary>Returns null when <paramref name="insn"/> is a valid instruction, else the reason it is not.</summary>
    /// <remarks>For <c>lddw</c> only the first slot is checked here; <see cref="ValidateLoadImm64Tail"/> checks the second.</remarks>
    public static string? Validate(in Instruction insn)
    {
        OpCode op = insn.OpCode;
        int dst = (int)insn.Destination, src = (int)insn.Source;
        if (dst > MaxRegister) return $"destination register r{dst} does not exist";
        return op.Class switch
        {
            InstructionClass.Alu or InstructionClass.Alu64 => ValidateAlu(insn, op, src),
            InstructionClass.Jmp or InstructionClass.Jmp32 => ValidateJump(insn, op, src),
            InstructionClass.Ld => ValidateLd(insn, op, src),
            InstructionClass.Ldx => ValidateLdx(insn, op, src),
            InstructionClass.St => op.Mode == MemoryMode.Mem
                ? (src != 0 ? "st uses no source register" : null)
                : $"opcode {op} is not defined (st supports only BPF_MEM)",
            _ => ValidateStx(insn, op, src),
        };
    }

    /// <summary>Returns null when <paramref name="second"/> is a valid second slot of a <c>lddw</c>, else the reason.</summary>
    public static string? ValidateLoadImm64Tail(in Instruction second) =>
        second.OpCode.Value != 0 || second.Destination != 0 || second.Source != 0 || second.Offset != 0
            ? "second slot of lddw must have opcode, registers and offset 0"
            : null;

    /// <summary>The conformance group of a valid instruction.</summary>
    public static ConformanceGroup GroupOf(in Instruction insn)
    {
        OpCode op = insn.OpCode;
        switch (op.Class)
        {
            case InstructionClass.Alu:
                return op.AluOperation is AluOperation.Mul or AluOperation.Div or AluOperation.Mod
                    ? ConformanceGroup.DivMul32 : ConformanceGroup.Base32;
            case InstructionClass.Alu64:
                if (op.AluOperation is AluOperation.Mul or AluOperation.Div or AluOperation.Mod) return ConformanceGroup.DivMul64;
                return op.AluOperation == AluOperation.End && insn.Immediate != 64 ? ConformanceGroup.Base32 : ConformanceGroup.Base64;
            case InstructionClass.Jmp32:
                return ConformanceGroup.Base32;
            case InstructionClass.Jmp:
                return op.JumpOperation switch
                {
                    JumpOperation.Call when op.Source == OperandSource.Register => ConformanceGroup.Callx,
                    JumpOperation.Call or JumpOperation.Exit or JumpOperation.Ja => ConformanceGroup.Base32,
                    _ => ConformanceGroup.Base64,
                };
            case InstructionClass.Ld:
                return op.Mode == MemoryMode.Imm ? ConformanceGroup.Base64 : ConformanceGroup.Packet;
            default:
                if (op.Mode == MemoryMode.Atomic)
                    return op.Size == MemorySize.DoubleWord ? ConformanceGroup.Atomic64 : ConformanceGroup.Atomic32;
                return op.Size == MemorySize.DoubleWord ? ConformanceGroup.Base64 : ConformanceGroup.Base32;
        }
    }

    private static string? ValidateAlu(in Instruction insn, OpCode op, int src)
    {
        bool is64 = op.Class == InstructionClass.Alu64;
        bool reg = op.Source == OperandSource.Register;
        if ((byte)op.AluOperation > (byte)AluOperation.End) return $"opcode {op} is not defined (ALU operation 0x{(byte)op.AluOperation:x2})";
        if (op.AluOperation == AluOperation.End)
        {
            if (is64 && reg) return $"opcode {op} is not defined (bswap has no register form)";
            if (insn.Immediate is not (16 or 32 or 64)) return $"byte swap width must be 16, 32 or 64, not {insn.Immediate}";
            return src != 0 || insn.Offset != 0 ? "byte swap uses no source register and no offset" : null;
        }
        if (reg && src > MaxRegister) return $"source register r{src} does not exist";
        if (!reg && src != 0) return "immediate form uses no source register";
        if (reg && insn.Immediate != 0) return "register form uses no imm (reserved field must be 0)";
        if (insn.Destination == Register.R10) return "r10 (frame pointer) is read-only";
        if (op.AluOperation == AluOperation.Neg)
            return reg ? $"opcode {op} is not defined (neg has no register form)" : insn.Offset != 0 || insn.Immediate != 0 ? "neg uses no offset or imm" : null;
        short off = insn.Offset;
        return op.AluOperation switch
        {
            AluOperation.Div or AluOperation.Mod when off is not (0 or 1) => $"offset of div/mod must be 0 (unsigned) or 1 (signed), not {off}",
            AluOperation.Mov when off != 0 && !reg => "movsx has no immediate form",
            AluOperation.Mov when is64 && off is not (0 or 8 or 16 or 32) => $"offset of mov must be 0, 8, 16 or 32, not {off}",
            AluOperation.Mov when !is64 && off is not (0 or 8 or 16) => $"offset of mov32 must be 0, 8 or 16, not {off}",
            AluOperation.Div or AluOperation.Mod or AluOperation.Mov => null,
            _ when off != 0 => $"offset must be 0 for {op.AluOperation.ToString().ToLowerInvariant()}, not {off}",
            _ => null,
        };
    }

    private static string? ValidateJump(in Instruction insn, OpCode op, int src)
    {
        bool is32 = op.Class == InstructionClass.Jmp32;
        bool reg = op.Source == OperandSource.Register;
        switch (op.JumpOperation)
        {
            case JumpOperation.Ja:
                if (reg || src != 0) return $"opcode {op} is not defined (ja has no register form)";
                if (insn.Destination != 0) return "ja uses no destination register";
                if (is32) return insn.Offset != 0 ? "gotol takes its target in imm; offset must be 0" : null;
                return insn.Immediate != 0 ? "ja takes its target in offset; imm must be 0" : null;
            case JumpOperation.Call:
                if (is32) return $"opcode {op} is not defined (no call in JMP32)";
                if (reg) return src != 0 || insn.Offset != 0 || insn.Immediate != 0 ? "callx takes the helper id in dst; src, offset and imm must be 0" : null;
                if (insn.Destination != 0) return "call uses no destination register";
                return src switch
                {
                    (int)CallSource.Helper or (int)CallSource.Local when insn.Offset != 0 => "call of a helper or local function uses no offset",
                    (int)CallSource.Helper or (int)CallSource.Local or (int)CallSource.Kfunc => null,
                    _ => $"call source {src} is not defined (0 helper, 1 local, 2 kfunc)",
                };
            case JumpOperation.Exit:
                if (is32 || reg) return $"opcode {op} is not defined (exit exists only as 0x95)";
                return src != 0 || insn.Destination != 0 || insn.Offset != 0 || insn.Immediate != 0 ? "exit uses no registers, offset or imm" : null;
            case (JumpOperation)0xe0 or (JumpOperation)0xf0:
                return $"opcode {op} is not defined (jump operation 0x{(byte)op.JumpOperation:x2})";
            default:
                if (reg && src > MaxRegister) return $"source register r{src} does not exist";
                if (!reg && src != 0) return "immediate form uses no source register";
                return reg && insn.Immediate != 0 ? "register form uses no imm (reserved field must be 0)" : null;
        }
    }

    private static string? ValidateLd(in Instruction insn, OpCode op, int src)
    {
        switch (op.Mode)
        {
            case MemoryMode.Imm when op.Size == MemorySize.DoubleWord:
                if (src > (int)LoadImmediateSource.MapIndexValue) return $"lddw source {src} is not defined (0-6)";
                if (insn.Destination == Register.R10) return "r10 (frame pointer) is read-only";
                return insn.Offset != 0 ? "lddw uses no offset" : null;
            case MemoryMode.Abs or MemoryMode.Ind when op.Size != MemorySize.DoubleWord:
                if (op.Mode == MemoryMode.Abs && src != 0) return "ldabs uses no source register";
                if (src > MaxRegister) return $"source register r{src} does not exist";
                return insn.Offset != 0 || insn.Destination != 0 ? "legacy packet loads use r0 and no offset" : null;
            default:
                return $"opcode {op} is not defined (ld supports lddw and legacy packet access)";
        }
    }

    private static string? ValidateLdx(in Instruction insn, OpCode op, int src)
    {
        if (op.Mode is not (MemoryMode.Mem or MemoryMode.MemSx)) return $"opcode {op} is not defined (ldx supports BPF_MEM and BPF_MEMSX)";
        if (op.Mode == MemoryMode.MemSx && op.Size == MemorySize.DoubleWord) return $"opcode {op} is not defined (no sign-extending 64-bit load)";
        if (src > MaxRegister) return $"source register r{src} does not exist";
        if (insn.Destination == Register.R10) return "r10 (frame pointer) is read-only";
        return insn.Immediate != 0 ? "ldx uses no imm" : null;
    }

    private static string? ValidateStx(in Instruction insn, OpCode op, int src)
    {
        if (src > MaxRegister) return $"source register r{src} does not exist";
        if (op.Mode == MemoryMode.Mem) return insn.Immediate != 0 ? "stx uses no imm" : null;
        if (op.Mode != MemoryMode.Atomic) return $"opcode {op} is not defined (stx supports BPF_MEM and BPF_ATOMIC)";
        if (op.Size is not (MemorySize.Word or MemorySize.DoubleWord)) return "atomics operate on words or double words only";
        return AtomicOperationExtensions.IsDefined(insn.Immediate) ? null : $"atomic operation 0x{insn.Immediate:x} is not defined";
    }
}
