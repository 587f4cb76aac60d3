using Ebpf.Asm;
using Ebpf.Testing;

namespace Ebpf.Tests.Asm;

public class AssemblerErrorTests
{
    [Theory]
    [InlineData("mov %r11, 1", 1, 5, "a register like %r0-%r10")]
    [InlineData("exit\nfoo %r0, 1", 2, 1, "a mnemonic")]
    [InlineData("mov %r0 1", 1, 9, "','")]
    [InlineData("mov %r0,", 1, 9, "a register or an immediate")]
    [InlineData("ldxw %r0, %r1+4", 1, 11, "'[' starting a memory operand")]
    [InlineData("ldxw %r0, [%r1+4", 1, 17, "']' closing the memory operand")]
    [InlineData("ldxw %r0, [%r1+40000]", 1, 15, "an offset within -32768..32767")]
    [InlineData("jeq %r0, 0, nowhere\nexit", 1, 13, "a defined label")]
    [InlineData("a:\nexit\na:\nexit", 3, 1, "a new label name")]
    [InlineData("mov %r0, 0x100000000", 1, 10, "a value that fits in 32 bits")]
    [InlineData("lddw %r0, 0x1zz", 1, 11, "a 64-bit number")]
    [InlineData("exit %r0", 1, 6, "the end of the instruction")]
    [InlineData("lock nand [%r10-8], %r1", 1, 6, "add, or, and, xor, xchg or cmpxchg")]
    [InlineData("movsx8 %r0, %r1", 1, 1, "movsx864")]
    [InlineData(".invalid 0x00000000000000ff", 1, 1, "a valid instruction")]
    [InlineData("movq %r0, 1", 1, 1, "a mnemonic")]
    [InlineData("mov %r0, 1 2", 1, 12, "the end of the instruction")]
    [InlineData("mov %r0, -2147483649", 1, 10, "a value that fits in 32 bits")]
    [InlineData("lddw %r0, 0x10000000000000000", 1, 11, "a 64-bit number")]
    [InlineData("ldxsdw %r0, [%r1]", 1, 1, "a mnemonic")]
    [InlineData("ldabsdw 4", 1, 1, "a mnemonic")]
    [InlineData("1abc:\nexit", 1, 1, "a label name")]
    [InlineData("jeq %r0, 0   # no target", 1, 11, "','")]
    [InlineData("jeq %r0, 0,\r\nexit", 1, 12, "a jump target")]
    [InlineData("call local nowhere", 1, 12, "a defined label")]
    [InlineData("call kfunc", 1, 11, "an immediate")]
    [InlineData("lddw %r1, map_value", 1, 20, "an immediate")]
    [InlineData("stw [%r10-8], %r1", 1, 15, "a 32-bit immediate")]
    [InlineData("ja +32768", 1, 4, "a jump within -32768..32767")]
    [InlineData("ja32 +0x1ffffffff", 1, 6, "a target within 32-bit range")]
    [InlineData("\tmov %r12, 1", 1, 6, "a register like %r0-%r10")]
    [InlineData("lock fetch [%r1], %r2", 1, 12, "add, or, and, xor, xchg or cmpxchg")]
    [InlineData("ldxw %r0, [%r1 + ]", 1, 18, "a number after the sign")]
    [InlineData("exit\nja exit", 2, 4, "a defined label")]
    public void Malformed_GivesPositionAndExpectation(string source, int line, int column, string expected)
    {
        var e = Assert.Throws<AssemblerException>(() => Assembler.Assemble(source));
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(expected, e.Expected);
        Assert.StartsWith($"line {line}, column {column}: expected ", e.Message);
    }

    [Fact]
    public void Message_SaysLineColumnExpectedAndFound()
    {
        var e = Assert.Throws<AssemblerException>(() => Assembler.Assemble("exit\n\n    add %r11, 1"));
        Assert.Equal("line 3, column 9: expected a register like %r0-%r10, found '%r11'", e.Message);
        Assert.Equal("%r11", e.Found);
        Assert.IsAssignableFrom<FormatException>(e);

        e = Assert.Throws<AssemblerException>(() => Assembler.Assemble("mov %r0,"));
        Assert.Equal("line 1, column 9: expected a register or an immediate, found end of line", e.Message);
        Assert.Equal("", e.Found);
    }

    [Fact]
    public void LabelDistanceBeyond16Bits_IsAnError_ButJa32Reaches()
    {
        string body = string.Concat(Enumerable.Repeat("exit\n", 32768));
        var e = Assert.Throws<AssemblerException>(() => Assembler.Assemble("ja far\n" + body + "far:\nexit"));
        Assert.Equal((1, 4), (e.Line, e.Column));
        Assert.Contains("-32768..32767", e.Expected);

        Instruction[] program = Assembler.Assemble("ja32 far\n" + body + "far:\nexit");
        Assert.Equal(32768, program[0].Immediate);
        Assert.Equal(-32768, Assembler.Assemble("back:\n" + string.Concat(Enumerable.Repeat("exit\n", 32767)) + "ja back")[^1].Offset);
    }

    [Fact]
    public void Comments_BlankLines_AndLabelsWithInstructions_AreAccepted()
    {
        Instruction[] program = Assembler.Assemble("""
            # whole-line comment

            start: mov %r0, 0x0A   # trailing comment
                   add32 %r0, 0XfF ; another comment style
            // and another
            end:
                   jeq %r0, 1, start
                   exit
            """);
        Assert.Equal(
            [Instruction.Mov(Register.R0, 10), Instruction.Alu(AluOperation.Add, Register.R0, 255, is64: false),
             Instruction.Jump(JumpOperation.Jeq, Register.R0, 1, -3), Instruction.Exit()],
            program);
        Assert.Empty(Assembler.Assemble(""));
        Assert.Empty(Assembler.Assemble("# nothing\n\n"));
    }

    [Fact]
    public void RandomText_OnlyAssemblerException()
    {
        var random = new Random(20261125);
        string alphabet = "abcdeijlmorsxwq%[]+-,:#0123456789 \n\tx.";
        string[] words = ["mov", "add32", "ldxw", "stxdw", "jeq", "lddw", "call", "exit", "lock", "fetch", "%r1", "%r10", "[", "]", ",", "+4", "-8", "0x10", "label:", "local", "ja32"];
        int failures = 0;
        for (int round = 0; round < 5000; round++)
        {
            var text = new System.Text.StringBuilder();
            int length = random.Next(1, 40);
            for (int i = 0; i < length; i++)
            {
                if (random.Next(2) == 0) text.Append(alphabet[random.Next(alphabet.Length)]);
                else text.Append(words[random.Next(words.Length)]).Append(' ');
            }
            if (TryAssemble(text.ToString()) is null) failures++;
        }
        Assert.True(failures > 1000, "random text must mostly be rejected");
    }

    [Fact]
    public void MutatedSuitePrograms_OnlyAssemblerException_AndValidOnSuccess()
    {
        var random = new Random(42);
        string[] sources = ConformanceFile.Suite().Select(n => ConformanceFile.Load(n).Assembly).ToArray();
        for (int round = 0; round < 3000; round++)
        {
            char[] text = sources[random.Next(sources.Length)].ToCharArray();
            for (int k = random.Next(1, 4); k > 0 && text.Length > 0; k--)
                text[random.Next(text.Length)] = (char)random.Next(32, 127);
            Instruction[]? program = TryAssemble(new string(text));
            if (program is not null) AssertReassembles(program);
        }
    }

    [Fact]
    public void TokenMutationsOfSuitePrograms_OnlyAssemblerException_AndReassembleWhenValid()
    {
        // Character noise mostly breaks a line at once; token-level edits keep lines plausible and so reach the
        // operand, range and label checks (a deleted label, a swapped operand, a number out of range).
        var random = new Random(1234);
        string[] sources = ConformanceFile.Suite().Select(n => ConformanceFile.Load(n).Assembly).ToArray();
        string[] vocabulary =
        [
            "mov", "mov32", "lddw", "ldxw", "stxdw", "stb", "jeq", "jne32", "ja", "ja32", "call", "local", "kfunc", "exit",
            "lock", "fetch", "xchg", "cmpxchg32", "movsx832", "sdiv", "le16", "bswap64", "ldabsw", "ldindh", "map_fd",
            "func", "%r0", "%r10", "%r11", "r3", "[%r1+4]", "[%r10-8]", "[", "]", ",", ":", "+1", "-1", "+32768", "0",
            "0xffffffff", "0x100000000", "-2147483649", "0xffffffffffffffff", "18446744073709551616", "exit:", "L1:", "L1",
        ];
        int assembled = 0;
        for (int round = 0; round < 4000; round++)
        {
            List<string> lines = [.. sources[random.Next(sources.Length)].Split('\n')];
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                int n = random.Next(lines.Count);
                string[] tokens = lines[n].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (random.Next(6))
                {
                    case 0 when tokens.Length > 0:
                        tokens[random.Next(tokens.Length)] = vocabulary[random.Next(vocabulary.Length)];
                        break;
                    case 1 when tokens.Length > 0:
                        tokens = [.. tokens.Where((_, i) => i != random.Next(tokens.Length))];
                        break;
                    case 2:
                        tokens = [.. tokens.Append(vocabulary[random.Next(vocabulary.Length)])];
                        break;
                    case 3 when tokens.Length > 1:
                        int a = random.Next(tokens.Length), b = random.Next(tokens.Length);
                        (tokens[a], tokens[b]) = (tokens[b], tokens[a]);
                        break;
                    case 4:
                        lines.Insert(random.Next(lines.Count + 1), lines[n]);
                        break;
                    default:
                        lines.RemoveAt(n);
                        break;
                }
                if (n < lines.Count) lines[n] = string.Join(' ', tokens);
                if (lines.Count == 0) lines.Add("exit");
            }
            Instruction[]? program = TryAssemble(string.Join('\n', lines));
            if (program is null) continue;
            assembled++;
            AssertReassembles(program);
        }
        // Both outcomes must occur, or the mutations test nothing.
        Assert.InRange(assembled, 200, 3800);
    }

    /// <summary>
    /// What the assembler produced formats back to the same bytes when it is valid; the assembler may accept
    /// encodable but invalid slots (e.g. <c>mov %r10, 1</c>), which must then format as rejected text.
    /// </summary>
    private static void AssertReassembles(Instruction[] program)
    {
        string text = AsmFormatter.FormatProgram(program);
        try
        {
            InstructionStream.Validate(program);
        }
        catch (InstructionFormatException)
        {
            Assert.Contains(".invalid", text);
            Assert.Throws<AssemblerException>(() => Assembler.Assemble(text));
            return;
        }
        Assert.Equal(program, Assembler.Assemble(text));
    }

    [Fact]
    public void RandomBytes_DecodeOrTypedError_AndValidOnesRoundTripThroughText()
    {
        var random = new Random(7);
        int valid = 0;
        for (int round = 0; round < 20000; round++)
        {
            var bytes = new byte[8 * random.Next(1, 4)];
            random.NextBytes(bytes);
            // Bias toward defined opcodes so that the valid path is exercised too.
            if (random.Next(2) == 0)
                for (int slot = 0; slot < bytes.Length; slot += 8)
                {
                    bytes[slot] = KnownOpcodes[random.Next(KnownOpcodes.Length)];
                    bytes[slot + 1] = (byte)(random.Next(10) | (random.Next(11) << 4));
                    if (random.Next(2) == 0) bytes.AsSpan(slot + 2, 2).Clear();
                    if (random.Next(2) == 0) bytes.AsSpan(slot + 4, 4).Clear();
                }
            Instruction[] program;
            try { program = InstructionStream.Decode(bytes); }
            catch (InstructionFormatException e)
            {
                Assert.InRange(e.Slot, 0, bytes.Length / 8);
                // Every slot, valid or not, still formats in both syntaxes.
                Instruction[] raw = InstructionStream.DecodeUnchecked(bytes);
                _ = Disassembler.FormatProgram(raw);
                _ = AsmFormatter.FormatProgram(raw);
                continue;
            }
            valid++;
            string text = AsmFormatter.FormatProgram(program);
            Assert.Equal(bytes, InstructionStream.Encode(Assembler.Assemble(text)));

            // With a label table of any quality (names reused, not label names, inside a lddw, past the end),
            // jumps use only the labels the text defines, so it still reassembles.
            var symbols = new DisassemblySymbols();
            string[] names = ["a", "b", "exit", "r1", "9x", "", "x y", "L.1"];
            for (int k = random.Next(4); k >= 0; k--) symbols.Labels[random.Next(-1, program.Length + 2)] = names[random.Next(names.Length)];
            string labelled = AsmFormatter.FormatProgram(program, symbols);
            Assert.Equal(bytes, InstructionStream.Encode(Assembler.Assemble(labelled)));
        }
        Assert.True(valid > 500, $"only {valid} valid programs generated");
    }

    private static readonly byte[] KnownOpcodes =
    [
        0x07, 0x0f, 0x04, 0x0c, 0xb7, 0xbf, 0xb4, 0xbc, 0x3f, 0x9f, 0x37, 0x97, 0x87, 0x84, 0xd4, 0xdc, 0xd7,
        0x05, 0x06, 0x15, 0x1d, 0x16, 0x1e, 0xa5, 0xad, 0x85, 0x8d, 0x95, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91,
        0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50,
    ];

    private static Instruction[]? TryAssemble(string text)
    {
        try { return Assembler.Assemble(text); }
        catch (AssemblerException) { return null; }
    }
}
