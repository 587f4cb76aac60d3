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
    public void Malformed_GivesPositionAndExpectation(string source, int line, int column, string expected)
    {
        var e = Assert.Throws<AssemblerException>(() => Assembler.Assemble(source));
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(expected, e.Expected);
        Assert.StartsWith($"line {line}, column {column}: expected ", e.Message);
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
        string[] sources = ConformanceFile.Names().Select(n => ConformanceFile.Load(n).Assembly).ToArray();
        for (int round = 0; round < 3000; round++)
        {
            char[] text = sources[random.Next(sources.Length)].ToCharArray();
            for (int k = random.Next(1, 4); k > 0 && text.Length > 0; k--)
                text[random.Next(text.Length)] = (char)random.Next(32, 127);
            Instruction[]? program = TryAssemble(new string(text));
            if (program is not null)
                Assert.Equal(program, InstructionStream.DecodeUnchecked(InstructionStream.Encode(program)));
        }
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
