namespace Ebpf.Asm;

/// <summary>
/// Assembles text in the bpf_conformance (uBPF) syntax into instructions:
/// <code>
///     mov32 %r0, 0           # comment
///     ldxw %r0, [%r1+4]
///     jeq %r1, 0, +2         # or a label: jne %r0, 15, failed
///     lddw %r0, 0x1122334455667788
///     lock fetch add32 [%r10-8], %r1
///     call 5                 # helper; "call local func1" (bpf-to-bpf), "call %r2" (callx), "call kfunc 1234"
/// failed:
///     exit
/// </code>
/// Mnemonics: ALU <c>add sub mul div sdiv mod smod or and xor lsh rsh arsh mov neg</c> (+<c>32</c> for 32-bit),
/// <c>movsx864 movsx1664 movsx3264 movsx832 movsx1632</c>, <c>le16/32/64 be16/32/64 bswap16/32/64</c> (alias
/// <c>swap</c>), loads <c>ldx{b,h,w,dw} ldxs{b,h,w}</c>, stores <c>st{..} stx{..}</c>, atomics
/// <c>lock [fetch] {add,or,and,xor}[32]</c>, <c>lock xchg[32]</c>, <c>lock cmpxchg[32]</c>, jumps <c>ja ja32</c> and
/// <c>jeq jne jgt jge jlt jle jsgt jsge jslt jsle jset</c> (+<c>32</c>), <c>call</c>, <c>exit</c>, legacy packet loads
/// <c>ldabs{b,h,w} imm</c> and <c>ldind{b,h,w} %rS, imm</c>, and <c>lddw %rD, value</c> or with a pseudo source:
/// <c>lddw %rD, map_fd FD</c>, <c>map_value FD OFFSET</c>, <c>btf_id ID</c>, <c>func TARGET</c>, <c>map_idx I</c>,
/// <c>map_idx_value I OFFSET</c> (the second number, the upper immediate, may be left out when 0).
/// Calls: <c>call ID</c> (helper), <c>call local TARGET</c> (BPF_PSEUDO_CALL, relative offset in imm),
/// <c>call kfunc BTF_ID[, MODULE]</c> (BPF_PSEUDO_KFUNC_CALL, module BTF fd index in offset) and <c>call %rN</c>
/// (callx: opcode 0x8d, register in the destination field). Numbers are decimal or <c>0x</c> hex, optionally
/// signed; 32-bit fields take -2147483648..0xffffffff (unsigned values wrap), <c>lddw</c> any 64-bit value.
/// Jump targets are <c>+N</c>, <c>-N</c> (slots after the next one) or a label defined by a <c>name:</c> line;
/// <c>ja32</c> (alias <c>gotol</c>) and local calls put the distance in imm, the other jumps in the 16-bit offset.
/// Comments start with <c>#</c>, <c>;</c> or <c>//</c>. As in bpf_conformance, the jump target <c>exit</c> (when no label has that name)
/// means the next <c>exit</c> instruction.
/// </summary>
public static class Assembler
{
    /// <summary>Assembles <paramref name="source"/>.</summary>
    /// <exception cref="AssemblerException">
    /// The text is not valid; says where and what was expected. For any non-null string this is the only exception.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static Instruction[] Assemble(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var pending = new List<AsmStatement>();
        var labels = new Dictionary<string, (int Slot, int Line, int Column)>(StringComparer.Ordinal);
        int slot = 0;
        string[] lines = source.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            List<AsmToken> tokens = AsmLexer.Tokenize(lines[n]);
            int line = n + 1;
            // Leading "name:" defines a label at the next instruction; an instruction may follow on the same line.
            while (tokens.Count >= 2 && tokens[1].Is(":"))
            {
                AsmToken name = tokens[0];
                if (!IsLabel(name.Text)) throw new AssemblerException(line, name.Column, "a label name (letters, digits, '_' and '.', not starting with a digit)", name.Text);
                if (labels.TryGetValue(name.Text, out var previous))
                    throw new AssemblerException(line, name.Column, $"a new label name ('{name.Text}' is already defined on line {previous.Line})", name.Text);
                labels[name.Text] = (slot, line, name.Column);
                tokens.RemoveRange(0, 2);
            }
            if (tokens.Count == 0) continue;
            // "found end of line" points just past the last token, not past a trailing comment, blanks or CRLF's '\r'.
            AsmStatement statement = AsmStatementParser.Parse(tokens, line, tokens[^1].Column + tokens[^1].Text.Length - 1);
            statement.Slot = slot;
            pending.Add(statement);
            slot += statement.Slots;
        }

        var program = new Instruction[slot];
        foreach (AsmStatement statement in pending)
        {
            Instruction first = statement.First;
            if (statement.Target is { } target)
            {
                long offset = Resolve(target, statement, labels, pending);
                first = statement.TargetField switch
                {
                    TargetField.Offset when offset is < short.MinValue or > short.MaxValue =>
                        throw new AssemblerException(statement.Line, target.Column, "a jump within -32768..32767 slots (use ja32 for longer jumps)", target.Text),
                    TargetField.Offset => first.WithOffset((short)offset),
                    _ when offset is < int.MinValue or > int.MaxValue =>
                        throw new AssemblerException(statement.Line, target.Column, "a target within 32-bit range", target.Text),
                    _ => first.WithImmediate((int)offset),
                };
            }
            program[statement.Slot] = first;
            if (statement.Slots == 2) program[statement.Slot + 1] = statement.Second;
        }
        return program;
    }

    /// <summary>Whether <paramref name="name"/> can be used as a label: letters, digits, '_' and '.', not starting with a digit.</summary>
    public static bool IsLabel(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
        && !name.StartsWith("%r", StringComparison.Ordinal);

    private static long Resolve(AsmToken target, AsmStatement statement, Dictionary<string, (int Slot, int Line, int Column)> labels,
        List<AsmStatement> statements)
    {
        if (target.Text.Length > 0 && (target.Text[0] is '+' or '-'))
        {
            if (AsmNumbers.TryParse(target.Text, out long relative)) return relative;
            throw new AssemblerException(statement.Line, target.Column, "a relative offset like +2 or -3, or a label", target.Text);
        }
        if (!labels.TryGetValue(target.Text, out var label))
        {
            // bpf_conformance convention: an undefined label "exit" means the next exit instruction.
            if (target.Text == "exit" && statements.FirstOrDefault(s => s.Slot > statement.Slot && s.First.IsExit) is { } exit)
                return (long)exit.Slot - (statement.Slot + 1);
            throw new AssemblerException(statement.Line, target.Column, "a defined label", target.Text);
        }
        // Offsets count from the slot after the instruction (for lddw: after its first slot).
        return (long)label.Slot - (statement.Slot + 1);
    }
}
