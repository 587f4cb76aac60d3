namespace Ebpf.Asm;

/// <summary>Parses the tokens of one instruction line into an <see cref="AsmStatement"/>.</summary>
internal sealed class AsmStatementParser
{
    private const string RegisterText = "a register like %r0-%r10";
    private readonly List<AsmToken> _tokens;
    private readonly int _line;
    private readonly int _endColumn;
    private int _pos;

    private AsmStatementParser(List<AsmToken> tokens, int line, int textLength)
    {
        _tokens = tokens;
        _line = line;
        _endColumn = textLength + 1;
    }

    /// <summary>Parses one instruction; <paramref name="textLength"/> is where its text ends (errors at the end point after it).</summary>
    public static AsmStatement Parse(List<AsmToken> tokens, int line, int textLength) =>
        new AsmStatementParser(tokens, line, textLength).Statement();

    private AsmStatement Statement()
    {
        AsmToken mnemonic = Next("a mnemonic");
        string m = mnemonic.Text;
        AsmStatement result = m switch
        {
            "exit" => Single(Instruction.Exit()),
            "call" => Call(),
            "ja" => Jump(new Instruction(OpCode.Jump(InstructionClass.Jmp, JumpOperation.Ja, OperandSource.Immediate)), TargetField.Offset),
            "ja32" or "gotol" => Jump(new Instruction(OpCode.Jump(InstructionClass.Jmp32, JumpOperation.Ja, OperandSource.Immediate)), TargetField.Immediate),
            "lddw" => LoadImm64(),
            "lock" => Atomic(),
            "neg" or "neg32" => Single(Instruction.Alu(AluOperation.Neg, Reg(), 0, m == "neg")),
            ".invalid" => throw Error(mnemonic, "a valid instruction (this slot was written as invalid by the disassembler)"),
            _ => Other(mnemonic),
        };
        if (_pos < _tokens.Count) throw Error(_tokens[_pos], "the end of the instruction");
        return result;
    }

    private AsmStatement Other(AsmToken mnemonic)
    {
        string m = mnemonic.Text;
        string stem = m.EndsWith("32", StringComparison.Ordinal) && !m.StartsWith("movsx", StringComparison.Ordinal) ? m[..^2] : m;
        bool wide = stem == m;
        if (AsmMnemonics.Jumps.TryGetValue(stem, out JumpOperation jump)) return ConditionalJump(jump, wide);
        if (AsmMnemonics.Alu.TryGetValue(stem, out AluOperation alu)) return Arithmetic(alu, wide, 0);
        if (stem is "sdiv" or "smod") return Arithmetic(stem == "sdiv" ? AluOperation.Div : AluOperation.Mod, wide, 1);
        if (m.StartsWith("movsx", StringComparison.Ordinal)) return MoveSignExtend(mnemonic);
        if (TryEndian(m, out ByteOrder order, out int bits)) return Single(Instruction.Endian(Reg(), bits, order));
        if (TrySized(m, "ldxs", out MemorySize sxSize) && sxSize != MemorySize.DoubleWord)
        {
            Register dst = Reg();
            Comma();
            (Register src, short off) = Memory();
            return Single(Instruction.LoadMemorySignExtend(sxSize, dst, src, off));
        }
        if (TrySized(m, "ldx", out MemorySize ldSize))
        {
            Register dst = Reg();
            Comma();
            (Register src, short off) = Memory();
            return Single(Instruction.LoadMemory(ldSize, dst, src, off));
        }
        if (TrySized(m, "stx", out MemorySize stxSize))
        {
            (Register dst, short off) = Memory();
            Comma();
            return Single(Instruction.StoreRegister(stxSize, dst, off, Reg()));
        }
        if (TrySized(m, "st", out MemorySize stSize))
        {
            (Register dst, short off) = Memory();
            Comma();
            return Single(Instruction.StoreImmediate(stSize, dst, off, Imm32()));
        }
        if (TrySized(m, "ldabs", out MemorySize absSize) && absSize != MemorySize.DoubleWord)
            return Single(Instruction.LoadAbsolute(absSize, Imm32()));
        if (TrySized(m, "ldind", out MemorySize indSize) && indSize != MemorySize.DoubleWord)
        {
            Register src = Reg();
            Comma();
            return Single(Instruction.LoadIndirect(indSize, src, Imm32()));
        }
        throw Error(mnemonic, "a mnemonic (e.g. mov, add32, ldxw, stxdw, jeq, lddw, call, exit)");
    }

    private AsmStatement Arithmetic(AluOperation op, bool wide, short offset)
    {
        Register dst = Reg();
        Comma();
        AsmToken operand = Peek("a register or an immediate");
        if (IsRegister(operand.Text)) return Single(Instruction.Alu(op, dst, Reg(), wide, offset));
        return Single(Instruction.Alu(op, dst, Imm32(), wide, offset));
    }

    private AsmStatement MoveSignExtend(AsmToken mnemonic)
    {
        (short bits, bool wide) = mnemonic.Text switch
        {
            "movsx864" => ((short)8, true),
            "movsx1664" => ((short)16, true),
            "movsx3264" => ((short)32, true),
            "movsx832" => ((short)8, false),
            "movsx1632" => ((short)16, false),
            _ => throw Error(mnemonic, "movsx864, movsx1664, movsx3264, movsx832 or movsx1632"),
        };
        Register dst = Reg();
        Comma();
        return Single(Instruction.Alu(AluOperation.Mov, dst, Reg(), wide, bits));
    }

    private AsmStatement ConditionalJump(JumpOperation op, bool wide)
    {
        Register dst = Reg();
        Comma();
        AsmToken operand = Peek("a register or an immediate");
        Instruction insn = IsRegister(operand.Text)
            ? Instruction.Jump(op, dst, Reg(), 0, wide)
            : Instruction.Jump(op, dst, Imm32(), 0, wide);
        Comma();
        return Jump(insn, TargetField.Offset);
    }

    private AsmStatement Jump(Instruction insn, TargetField field) =>
        new(insn, _line) { Target = Next("a jump target (+N, -N or a label)"), TargetField = field };

    private AsmStatement Call()
    {
        AsmToken what = Peek("a helper id, 'local LABEL', 'kfunc ID' or a register");
        if (IsRegister(what.Text)) return Single(Instruction.CallRegister(Reg()));
        if (what.Is("local"))
        {
            _pos++;
            return Jump(Instruction.CallLocal(0), TargetField.Immediate);
        }
        if (what.Is("kfunc"))
        {
            _pos++;
            int id = Imm32();
            short module = 0;
            if (_pos < _tokens.Count && _tokens[_pos].Is(","))
            {
                _pos++;
                module = Offset16(Next("a module BTF fd index"));
            }
            return Single(Instruction.CallKfunc(id, module));
        }
        return Single(Instruction.CallHelper(Imm32()));
    }

    private AsmStatement LoadImm64()
    {
        Register dst = Reg();
        Comma();
        AsmToken value = Next("a 64-bit value or map_fd, map_value, btf_id, func, map_idx, map_idx_value");
        if (AsmMnemonics.LoadSources.TryGetValue(value.Text, out LoadImmediateSource source))
        {
            if (source == LoadImmediateSource.Func)
            {
                AsmToken target = Next("a function target (+N, -N or a label)");
                int extra = _pos < _tokens.Count ? Imm32() : 0;
                var (f, s) = Instruction.LoadImm64(dst, (ulong)(uint)extra << 32, source);
                return new AsmStatement(f, _line) { Second = s, Slots = 2, Target = target, TargetField = TargetField.Immediate };
            }
            int imm = Imm32();
            int next = _pos < _tokens.Count ? Imm32() : 0;
            var (first, second) = Instruction.LoadImm64(dst, (uint)imm | ((ulong)(uint)next << 32), source);
            return new AsmStatement(first, _line) { Second = second, Slots = 2 };
        }
        if (!AsmNumbers.TryParse(value.Text, out long v)) throw Error(value, "a 64-bit number (decimal or 0x hex)");
        var (lo, hi) = Instruction.LoadImm64(dst, (ulong)v);
        return new AsmStatement(lo, _line) { Second = hi, Slots = 2 };
    }

    private AsmStatement Atomic()
    {
        bool fetch = false;
        if (Peek("an atomic operation").Is("fetch"))
        {
            fetch = true;
            _pos++;
        }
        AsmToken opToken = Next("add, or, and, xor, xchg or cmpxchg (with 32 for words)");
        string name = opToken.Text.EndsWith("32", StringComparison.Ordinal) ? opToken.Text[..^2] : opToken.Text;
        MemorySize size = name.Length == opToken.Text.Length ? MemorySize.DoubleWord : MemorySize.Word;
        if (!AsmMnemonics.Atomics.TryGetValue(name, out AtomicOperation op))
            throw Error(opToken, "add, or, and, xor, xchg or cmpxchg (with 32 for words)");
        if (fetch && op is not (AtomicOperation.Exchange or AtomicOperation.CompareExchange))
            op = (AtomicOperation)((int)op | AtomicOperationExtensions.FetchFlag);
        (Register dst, short off) = Memory();
        Comma();
        return Single(Instruction.Atomic(op, size, dst, off, Reg()));
    }

    private (Register Base, short Offset) Memory()
    {
        Expect("[", "'[' starting a memory operand like [%r1+4]");
        Register reg = Reg();
        short offset = 0;
        AsmToken t = Peek("'+N', '-N' or ']'");
        if (t.Text.Length > 0 && t.Text[0] is '+' or '-')
        {
            _pos++;
            if (t.Text.Length == 1)
            {
                // "[%r1 + 4]": a lone sign followed by the number.
                AsmToken number = Next("a number after the sign");
                if (!AsmNumbers.TryParse(number.Text, out _) || number.Text[0] is '+' or '-') throw Error(number, "a number after the sign");
                offset = Offset16(number with { Text = t.Text + number.Text });
            }
            else
            {
                offset = Offset16(t);
            }
        }
        Expect("]", "']' closing the memory operand");
        return (reg, offset);
    }

    private Register Reg()
    {
        AsmToken t = Next(RegisterText);
        return TryRegister(t.Text, out Register r) ? r : throw Error(t, RegisterText);
    }

    private int Imm32()
    {
        AsmToken t = Next("an immediate (decimal or 0x hex)");
        if (!AsmNumbers.TryParse(t.Text, out long v) || AsmNumbers.IsBeyondSigned(t.Text)) throw Error(t, "a 32-bit immediate (decimal or 0x hex)");
        if (v is < int.MinValue or > uint.MaxValue) throw Error(t, "a value that fits in 32 bits (-2147483648..4294967295)");
        return unchecked((int)(uint)(ulong)v);
    }

    private short Offset16(AsmToken t)
    {
        if (!AsmNumbers.TryParse(t.Text, out long v) || AsmNumbers.IsBeyondSigned(t.Text)) throw Error(t, "an offset (decimal or 0x hex)");
        if (v is < short.MinValue or > short.MaxValue) throw Error(t, "an offset within -32768..32767");
        return (short)v;
    }

    private void Comma() => Expect(",", "','");

    private void Expect(string text, string expected)
    {
        AsmToken t = Next(expected);
        if (!t.Is(text)) throw Error(t, expected);
    }

    private AsmToken Next(string expected)
    {
        AsmToken t = Peek(expected);
        _pos++;
        return t;
    }

    private AsmToken Peek(string expected) =>
        _pos < _tokens.Count ? _tokens[_pos] : throw new AssemblerException(_line, _endColumn, expected, "");

    private AsmStatement Single(Instruction insn) => new(insn, _line);

    private AssemblerException Error(AsmToken t, string expected) => new(_line, t.Column, expected, t.Text);

    private static bool IsRegister(string text) => TryRegister(text, out _);

    private static bool TryRegister(string text, out Register register)
    {
        register = default;
        ReadOnlySpan<char> s = text;
        if (s.StartsWith("%")) s = s[1..];
        if (s.Length is < 2 or > 3 || s[0] != 'r' || !int.TryParse(s[1..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) || n > 10)
            return false;
        if (s.Length == 3 && s[1] == '0') return false; // "r01" is not a register
        register = (Register)n;
        return true;
    }

    private static bool TryEndian(string m, out ByteOrder order, out int bits)
    {
        (order, string rest) = m switch
        {
            _ when m.StartsWith("bswap", StringComparison.Ordinal) => (ByteOrder.Swap, m[5..]),
            _ when m.StartsWith("swap", StringComparison.Ordinal) => (ByteOrder.Swap, m[4..]),
            _ when m.StartsWith("le", StringComparison.Ordinal) => (ByteOrder.LittleEndian, m[2..]),
            _ when m.StartsWith("be", StringComparison.Ordinal) => (ByteOrder.BigEndian, m[2..]),
            _ => (ByteOrder.LittleEndian, ""),
        };
        bits = rest switch { "16" => 16, "32" => 32, "64" => 64, _ => 0 };
        return bits != 0;
    }

    private static bool TrySized(string m, string prefix, out MemorySize size)
    {
        size = default;
        return m.StartsWith(prefix, StringComparison.Ordinal) && AsmMnemonics.Sizes.TryGetValue(m[prefix.Length..], out size);
    }
}
