using Ebpf.Asm;

namespace Ebpf.Tests.Asm;

public class AssemblerFormsTests
{
    public static TheoryData<string> Forms() => new(InstructionForms.Encodings.Keys);

    [Theory]
    [MemberData(nameof(Forms))]
    public void Form_AssemblesToUapiEncoding_AndRoundTripsThroughText(string text)
    {
        ulong[] expected = InstructionForms.Encodings[text];
        Instruction[] program = Assembler.Assemble(text);
        Assert.Equal(expected, program.Select(i => i.RawValue));

        // Every form here is a valid instruction, so the formatter must write it in reassemblable text.
        InstructionStream.Validate(program);
        string formatted = AsmFormatter.Format(program, 0);
        Assert.DoesNotContain(".invalid", formatted);
        Assert.Equal(expected, Assembler.Assemble(formatted).Select(i => i.RawValue));
    }

    [Theory]
    [InlineData("mov32 %r0, 0", "mov32 %r0, 0")]
    [InlineData("ldxw %r0, [%r1+4]", "ldxw %r0, [%r1+4]")]
    [InlineData("ldxdw %r0, [%r1 + 0]", "ldxdw %r0, [%r1]")]
    [InlineData("stb [%r10-1], 0x7f", "stb [%r10-1], 127")]
    [InlineData("jeq %r1, 0, +2", "jeq %r1, 0, +2")]
    [InlineData("jne32 %r1, %r2, -1", "jne32 %r1, %r2, -1")]
    [InlineData("lddw %r0, 0x1122334455667788", "lddw %r0, 0x1122334455667788")]
    [InlineData("lddw %r0, -1", "lddw %r0, 0xffffffffffffffff")]
    [InlineData("mov %r0, 0xffffffff", "mov %r0, -1")]
    [InlineData("ja32 +1", "ja32 +1")]
    [InlineData("call %r2", "call %r2")]
    [InlineData("call local -1", "call local -1")]
    [InlineData("call kfunc 1234", "call kfunc 1234")]
    [InlineData("lock fetch add32 [%r10-8], %r1", "lock fetch add32 [%r10-8], %r1")]
    [InlineData("lock xchg [%r10-8], %r1", "lock xchg [%r10-8], %r1")]
    [InlineData("lock cmpxchg32 [%r1], %r2", "lock cmpxchg32 [%r1], %r2")]
    [InlineData("swap16 %r0", "bswap16 %r0")]
    [InlineData("movsx1632 %r3, %r4", "movsx1632 %r3, %r4")]
    [InlineData("smod32 %r3, -2", "smod32 %r3, -2")]
    [InlineData("ldindh %r2, 6", "ldindh %r2, 6")]
    [InlineData("lddw %r1, map_value 4 16", "lddw %r1, map_value 4 16")]
    [InlineData("lddw %r1, map_fd 3", "lddw %r1, map_fd 3")]
    public void Formatter_WritesCanonicalText(string source, string expected)
    {
        Assert.Equal(expected, AsmFormatter.Format(Assembler.Assemble(source), 0));
    }

    [Fact]
    public void Formatter_UsesLabelsThatItDefines_AndNumbersOtherwise()
    {
        Instruction[] program = Assembler.Assemble("""
            mov %r0, 0
            lddw %r1, 5
            jeq %r0, 0, +1
            ja -3
            ja -6
            """);
        var symbols = new DisassemblySymbols();
        symbols.Labels[0] = "start";
        symbols.Labels[2] = "inside_lddw";   // second slot of lddw: no line can define it
        symbols.Labels[5] = "done";
        symbols.Labels[6] = "done";          // the end of the program, but the name is taken
        symbols.Labels[4] = "9bad";          // not a label name
        string text = AsmFormatter.FormatProgram(program, symbols);
        Assert.Equal("start:\nmov %r0, 0\nlddw %r1, 0x5\njeq %r0, 0, done\nja -3\ndone:\nja start\n", text);
        Assert.Equal(program, Assembler.Assemble(text));

        // A label at the end of the program is written after the last instruction.
        var end = new DisassemblySymbols();
        end.Labels[6] = "out";
        Instruction[] jumpToEnd = Assembler.Assemble("ja out\nja out\nja out\nja out\nja out\nja out\nout:");
        string endText = AsmFormatter.FormatProgram(jumpToEnd, end);
        Assert.EndsWith("ja out\nout:\n", endText);
        Assert.Equal(jumpToEnd, Assembler.Assemble(endText));
    }

    [Fact]
    public void InvalidSlots_FormatAsDirectiveTheAssemblerRejects()
    {
        Instruction[] program =
        [
            new Instruction(new OpCode(0xff)),                                      // undefined opcode
            Instruction.Mov(Register.R10, 1),                                       // r10 is read-only
            Instruction.LoadImm64(Register.R1, 1).First,                            // lddw without its second slot
        ];
        string[] lines = AsmFormatter.FormatProgram(program).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith(".invalid 0x00000000000000ff  # ", lines[0]);
        Assert.Contains("read-only", lines[1]);
        Assert.Contains("second slot", lines[2]);
        for (int i = 0; i < lines.Length; i++)
        {
            var e = Assert.Throws<AssemblerException>(() => Assembler.Assemble(lines[i]));
            Assert.Equal((1, 1), (e.Line, e.Column));
            Assert.Equal(".invalid", e.Found);
        }
    }

    [Fact]
    public void ExhaustiveOpcodeSweep_EveryValidSlotRoundTrips()
    {
        // Every opcode with register fields and immediates at the edges of what the ISA accepts: each valid
        // instruction formats to text that assembles to the same bytes; invalid ones format as the .invalid directive.
        short[] offsets = [0, 1, -1, 8, 16, 32, 2, short.MaxValue, short.MinValue];
        int[] imms = [0, 1, -1, 16, 32, 64, int.MinValue, int.MaxValue, 0x01, 0x40, 0x41, 0x50, 0xa1, 0xe1, 0xf1];
        byte[] regs = [0, 1, 9, 10, 11, 15];
        int valid = 0, invalid = 0;
        var second = new Instruction(default, immediate: unchecked((int)0xdeadbeef));
        for (int opcode = 0; opcode < 256; opcode++)
        foreach (byte dst in regs)
        foreach (byte src in regs)
        foreach (short off in offsets)
        foreach (int imm in imms)
        {
            var insn = new Instruction(new OpCode((byte)opcode), (Register)dst, (Register)src, off, imm);
            Instruction[] program = insn.IsLoadImm64 ? [insn, second] : [insn];
            string text = AsmFormatter.FormatProgram(program);
            bool isValid = InstructionValidator.Validate(insn) is null;
            if (isValid)
            {
                valid++;
                Assert.Equal(program, Assembler.Assemble(text));
            }
            else
            {
                // InvalidSlots_FormatAsDirectiveTheAssemblerRejects shows the directive is rejected; throwing a
                // million exceptions here would only make the sweep slow.
                invalid++;
                Assert.StartsWith(".invalid 0x", text);
            }
        }
        // Counts keep the sweep honest: a validator that rejects everything must not pass as "no failures".
        Assert.InRange(valid, 20_000, 200_000);
        Assert.True(invalid > valid);
    }
}
