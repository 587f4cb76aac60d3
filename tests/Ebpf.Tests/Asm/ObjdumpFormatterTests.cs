using System.Globalization;
using System.Text;
using Ebpf.Asm;
using Ebpf.Asm.Formatting;
using Ebpf.Tests.Elf;

namespace Ebpf.Tests.Asm;

public class ObjdumpFormatterTests
{
    // Raw 64-bit words (as in the kernel's struct bpf_insn, little-endian) → decimal text, hex text.
    [Theory]
    [InlineData(0x000000000001213fUL, "r1 s/= r2", "r1 s/= r2")]
    [InlineData(0x000000000001219fUL, "r1 s%= r2", "r1 s%= r2")]
    [InlineData(0xfffffffd00010134UL, "w1 s/= -3", "w1 s/= -0x3")]
    [InlineData(0x000000000001219cUL, "w1 s%= w2", "w1 s%= w2")]
    [InlineData(0x00000007000001b7UL, "r1 = 7", "r1 = 0x7")]
    [InlineData(0x00000000000821bfUL, "r1 = (s8)r2", "r1 = (s8)r2")]
    [InlineData(0x00000000001021bfUL, "r1 = (s16)r2", "r1 = (s16)r2")]
    [InlineData(0x00000000002021bfUL, "r1 = (s32)r2", "r1 = (s32)r2")]
    [InlineData(0x00000000000821bcUL, "w1 = (s8)w2", "w1 = (s8)w2")]
    [InlineData(0x00000000001021bcUL, "w1 = (s16)w2", "w1 = (s16)w2")]
    [InlineData(0x0000000000001091UL, "r0 = *(s8 *)(r1 + 0)", "r0 = *(s8 *)(r1 + 0x0)")]
    [InlineData(0x00000000fff8a389UL, "r3 = *(s16 *)(r10 - 8)", "r3 = *(s16 *)(r10 - 0x8)")]
    [InlineData(0x0000000000042381UL, "r3 = *(s32 *)(r2 + 4)", "r3 = *(s32 *)(r2 + 0x4)")]
    [InlineData(0x00000010000000d7UL, "r0 = bswap16 r0", "r0 = bswap16 r0")]
    [InlineData(0x00000020000003d7UL, "r3 = bswap32 r3", "r3 = bswap32 r3")]
    [InlineData(0x00000040000003d7UL, "r3 = bswap64 r3", "r3 = bswap64 r3")]
    [InlineData(0x0000002a00000006UL, "gotol +42", "gotol +0x2a")]
    [InlineData(0xfffffffb00000006UL, "gotol -5", "gotol -0x5")]
    [InlineData(0xfffffffb00040162UL, "*(u32 *)(r1 + 4) = -5", "*(u32 *)(r1 + 0x4) = -0x5")]
    [InlineData(0x00000007fff80a7aUL, "*(u64 *)(r10 - 8) = 7", "*(u64 *)(r10 - 0x8) = 0x7")]
    [InlineData(0x0000012cffe20a6aUL, "*(u16 *)(r10 - 30) = 300", "*(u16 *)(r10 - 0x1e) = 0x12c")]
    [InlineData(0x00000001ffe10a72UL, "*(u8 *)(r10 - 31) = 1", "*(u8 *)(r10 - 0x1f) = 0x1")]
    [InlineData(0x0000000300000194UL, "w1 %= 3", "w1 %= 0x3")]
    [InlineData(0x000000000000219fUL, "r1 %= r2", "r1 %= r2")]
    [InlineData(0x0000000400020145UL, "if r1 & 4 goto +2", "if r1 & 0x4 goto +0x2")]
    [InlineData(0x00000000ffff214eUL, "if w1 & w2 goto -1", "if w1 & w2 goto -0x1")]
    [InlineData(0x00000001fff021dbUL, "r2 = atomic_fetch_add((u64 *)(r1 - 16), r2)", "r2 = atomic_fetch_add((u64 *)(r1 - 0x10), r2)")]
    [InlineData(0x00000000fff021c3UL, "lock *(u32 *)(r1 - 16) += r2", "lock *(u32 *)(r1 - 0x10) += r2")]
    [InlineData(0x00000040fff021c3UL, "lock *(u32 *)(r1 - 16) |= w2", "lock *(u32 *)(r1 - 0x10) |= w2")]
    [InlineData(0x00000050fff021c3UL, "lock *(u32 *)(r1 - 16) &= w2", "lock *(u32 *)(r1 - 0x10) &= w2")]
    [InlineData(0x000000a0fff021c3UL, "lock *(u32 *)(r1 - 16) ^= w2", "lock *(u32 *)(r1 - 0x10) ^= w2")]
    [InlineData(0x00000001fff021c3UL, "w2 = atomic_fetch_add((u32 *)(r1 - 16), w2)", "w2 = atomic_fetch_add((u32 *)(r1 - 0x10), w2)")]
    [InlineData(0x000000a1fff021c3UL, "w2 = atomic_fetch_xor((u32 *)(r1 - 16), w2)", "w2 = atomic_fetch_xor((u32 *)(r1 - 0x10), w2)")]
    [InlineData(0x000000e1fff021c3UL, "w2 = xchg32_32(r1 - 16, w2)", "w2 = xchg32_32(r1 - 0x10, w2)")]
    [InlineData(0x000000f1fff021c3UL, "w0 = cmpxchg32_32(r1 - 16, w0, w2)", "w0 = cmpxchg32_32(r1 - 0x10, w0, w2)")]
    [InlineData(0x000000f1fff021dbUL, "r0 = cmpxchg_64(r1 - 16, r0, r2)", "r0 = cmpxchg_64(r1 - 0x10, r0, r2)")]
    [InlineData(0x000000000000038dUL, "callx r3", "callx r3")]
    [InlineData(0xffffffff00001085UL, "call -1", "call -0x1")]
    [InlineData(0x000004d200002085UL, "call 1234", "call 0x4d2")]
    [InlineData(0x0000000000000095UL, "exit", "exit")]
    [InlineData(0x8000000000000107UL, "r1 += -2147483648", "r1 += -0x80000000")]
    [InlineData(0x0000000080002161UL, "r1 = *(u32 *)(r2 - 32768)", "r1 = *(u32 *)(r2 - 0x8000)")]
    [InlineData(0x0000000080000005UL, "goto -32768", "goto -0x8000")]
    [InlineData(0xfffffffc00000020UL, "r0 = *(u32 *)skb[-4]", "r0 = *(u32 *)skb[-0x4]")]
    [InlineData(0x0000000c00003040UL, "r0 = *(u32 *)skb[r3]", "r0 = *(u32 *)skb[r3]")]
    [InlineData(0x00000010000003dcUL, "r3 = be16 r3", "r3 = be16 r3")]
    [InlineData(0x00000040000003d4UL, "r3 = le64 r3", "r3 = le64 r3")]
    [InlineData(0x0000000000000184UL, "w1 = -w1", "w1 = -w1")]
    public void Formats(ulong raw, string decimalText, string hexText)
    {
        Instruction insn = Instruction.FromRawValue(raw);
        Assert.Null(InstructionValidator.Validate(insn));
        Assert.Equal(decimalText, ObjdumpFormatter.Format(insn));
        Assert.Equal(hexText, ObjdumpFormatter.Format(insn, hexImmediates: true));
    }

    [Theory]
    [InlineData(0xffffffffUL, 0xffffffffUL, 0, "r1 = -1 ll", "r1 = -0x1 ll")]
    [InlineData(0x12345678UL, 0x1UL, 0, "r1 = 4600387192 ll", "r1 = 0x112345678 ll")]
    [InlineData(0UL, 0x80000000UL, 0, "r1 = -9223372036854775808 ll", "r1 = -0x8000000000000000 ll")]
    [InlineData(0xfffffffdUL, 5UL, 2, "ld_pseudo\tr1, 2, 4294967293", "ld_pseudo\tr1, 0x2, 0xfffffffd")]
    public void FormatsLoadImm64(ulong low, ulong high, int source, string decimalText, string hexText)
    {
        var (first, second) = Instruction.LoadImm64(Register.R1, low | (high << 32), (LoadImmediateSource)source);
        Instruction[] program = [first, second];
        Assert.Equal(decimalText, ObjdumpFormatter.Format(program, 0));
        Assert.Equal(hexText, ObjdumpFormatter.Format(program, 0, hexImmediates: true));
    }

    [Fact]
    public void V4Factories_FormatLikeLaterLlvm()
    {
        Assert.Equal("r0 = bswap16 r0", ObjdumpFormatter.Format(Instruction.Endian(Register.R0, 16, ByteOrder.Swap)));
        Assert.Equal("r0 = *(s8 *)(r1 + 0x0)", ObjdumpFormatter.Format(Instruction.LoadMemorySignExtend(MemorySize.Byte, Register.R0, Register.R1, 0), hexImmediates: true));
        Assert.Equal("r0 s/= r1", ObjdumpFormatter.Format(Instruction.Alu(AluOperation.Div, Register.R0, Register.R1, offset: 1)));
        Assert.Equal("w0 s%= 7", ObjdumpFormatter.Format(Instruction.Alu(AluOperation.Mod, Register.R0, 7, is64: false, offset: 1)));
        Assert.Equal("r0 = (s8)r1", ObjdumpFormatter.Format(Instruction.Alu(AluOperation.Mov, Register.R0, Register.R1, offset: 8)));
        Assert.Equal("gotol +3", ObjdumpFormatter.Format(Instruction.JaLong(3)));
        Assert.True(ObjdumpSyntaxFormatter.NeedsNewerLlvm(Instruction.JaLong(3)));
        Assert.False(ObjdumpSyntaxFormatter.NeedsNewerLlvm(Instruction.Ja(3)));
    }

    [Fact]
    public void JumpTargets_PrintTheirLabel()
    {
        Instruction[] program = [Instruction.Jump(JumpOperation.Jeq, Register.R1, 0, 1), Instruction.Mov(Register.R0, 1), Instruction.Exit()];
        var symbols = new DisassemblySymbols();
        symbols.Labels[2] = "LBB0_2";
        Assert.Equal("if r1 == 0 goto +1 <LBB0_2>", ObjdumpFormatter.Format(program, 0, symbols));
        Assert.Equal("if r1 == 0x0 goto +0x1 <LBB0_2>", ObjdumpFormatter.Format(program, 0, symbols, hexImmediates: true));
        Assert.Equal("if r1 == 0 goto +1", ObjdumpFormatter.Format(program, 0));
    }

    [Theory]
    [InlineData(0x00000000000000ffUL)] // no such opcode
    [InlineData(0x0000000000000b07UL)] // r11
    [InlineData(0x00000001000000d4UL)] // le1
    [InlineData(0x0000000000000000UL)] // the second half of a lddw on its own
    [InlineData(0x0000000100000095UL)] // exit with an immediate
    public void InvalidSlots_PrintUnknown(ulong raw) =>
        Assert.Equal("<unknown>", ObjdumpFormatter.Format(Instruction.FromRawValue(raw)));

    [Fact]
    public void LoadImm64WithoutSecondSlot_PrintsUnknown()
    {
        var (first, _) = Instruction.LoadImm64(Register.R1, 5);
        Assert.Equal("<unknown>", ObjdumpFormatter.Format([first], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObjdumpFormatter.Format([first], 1));
    }

    /// <summary>
    /// Thousands of random valid encodings LLVM 14 knows, assembled as raw words with llvm-mc and disassembled by
    /// llvm-objdump, against our text, in both radixes.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RandomValidEncodings_MatchLlvmObjdump(bool hex)
    {
        var random = new Random(20240611);
        var program = new List<Instruction>();
        short[] offsets = [0, 1, -1, 8, 16, 32, short.MinValue, short.MaxValue];
        int[] immediates = [0, 1, -1, 16, 32, 64, int.MinValue, int.MaxValue, 0xe1, 0xf1];
        for (int opcode = 0; opcode < 256; opcode++)
            for (int n = 0; n < 96; n++)
            {
                var insn = new Instruction(new OpCode((byte)opcode), (Register)random.Next(11), (Register)(random.Next(4) == 0 ? 0 : random.Next(11)),
                    random.Next(3) switch { 0 => 0, 1 => offsets[random.Next(offsets.Length)], _ => (short)random.Next(short.MinValue, short.MaxValue + 1) },
                    random.Next(3) switch { 0 => 0, 1 => immediates[random.Next(immediates.Length)], _ => random.Next(int.MinValue, int.MaxValue) });
                if (InstructionValidator.Validate(insn) is not null || ObjdumpSyntaxFormatter.NeedsNewerLlvm(insn)) continue;
                program.Add(insn);
                if (insn.IsLoadImm64) program.Add(new Instruction(default, immediate: random.Next(int.MinValue, int.MaxValue)));
            }
        Assert.True(program.Count > 3000, $"{program.Count} encodings");

        string dir = Directory.CreateTempSubdirectory("objdump-diff").FullName;
        try
        {
            var source = new StringBuilder(".text\n.globl f\nf:\n");
            foreach (Instruction insn in program) source.Append(CultureInfo.InvariantCulture, $".quad 0x{insn.RawValue:x16}\n");
            File.WriteAllText(Path.Combine(dir, "p.s"), source.ToString());
            LlvmTools.Run("llvm-mc", "-triple", "bpfel", "-filetype=obj", Path.Combine(dir, "p.s"), "-o", Path.Combine(dir, "p.o"));
            string[] arguments = hex
                ? ["-d", "--no-show-raw-insn", "--print-imm-hex", Path.Combine(dir, "p.o")]
                : ["-d", "--no-show-raw-insn", Path.Combine(dir, "p.o")];
            SortedDictionary<int, string> llvm = ObjdumpDisassemblyTests.ParseObjdump(LlvmTools.Run("llvm-objdump", arguments))[".text"];

            var symbols = new DisassemblySymbols();
            symbols.Labels[0] = "f";
            Instruction[] code = [.. program];
            var failures = new List<string>();
            int index = 0;
            foreach ((int at, string text) in llvm)
            {
                Assert.Equal(index, at);
                string ours = ObjdumpFormatter.Format(code, at, symbols, hex);
                if (ObjdumpDisassemblyTests.Normalize(text) != ObjdumpDisassemblyTests.Normalize(ours))
                    failures.Add($"{at} {code[at]}: llvm-objdump '{text}', ours '{ours}'");
                index += code[at].IsLoadImm64 ? 2 : 1;
            }
            Assert.Equal(code.Length, index);
            Assert.True(failures.Count == 0, $"{failures.Count} differences:\n{string.Join('\n', failures.Take(40))}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
