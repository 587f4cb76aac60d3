using Ebpf.Asm;
using static Ebpf.Asm.Register;

namespace Ebpf.Tests.Asm;

/// <summary>
/// The builder writes every form of <see cref="InstructionForms"/> with the encoding RFC 9669 gives it; the table
/// below says, for each assembler line, how the same instruction is written in C#.
/// </summary>
public class ProgramBuilderFormsTests
{
    public static TheoryData<string> Forms() => new(InstructionForms.Encodings.Keys);

    [Theory]
    [MemberData(nameof(Forms))]
    public void Form_BuildsToUapiEncoding(string text)
    {
        Assert.True(Builders.TryGetValue(text, out var form), $"no builder counterpart for '{text}'");
        ulong[] expected = InstructionForms.Encodings[text];
        Instruction[] program = form.Build(new ProgramBuilder()).Build();
        Assert.Equal(expected, program.Skip(form.At).Take(expected.Length).Select(i => i.RawValue));
    }

    [Fact]
    public void EveryBuilderForm_IsInTheEncodingTable()
    {
        // A typo in a key here would leave a builder form untested.
        Assert.Empty(Builders.Keys.Except(InstructionForms.Encodings.Keys));
    }

    [Fact]
    public void JumpIf_RejectsUnconditionalOperations()
    {
        foreach (JumpOperation op in new[] { JumpOperation.Ja, JumpOperation.Call, JumpOperation.Exit, (JumpOperation)0xe0 })
        {
            var e = Assert.Throws<ArgumentException>(() => new ProgramBuilder().JumpIf(op, R0, 0, "x"));
            Assert.Equal("op", e.ParamName);
        }
    }

    [Fact]
    public void UnresolvedTargets_ThrowNamingTheLabel()
    {
        Assert.Contains("'cb'", Assert.Throws<InvalidOperationException>(() => new ProgramBuilder().LoadFunction(R1, "cb").Exit().Build()).Message);
        Assert.Contains("'f'", Assert.Throws<InvalidOperationException>(() => new ProgramBuilder().CallLocal("f").Exit().Build()).Message);
        Assert.Contains("'far'", Assert.Throws<InvalidOperationException>(() => new ProgramBuilder().JumpLong("far").Build()).Message);
    }

    [Fact]
    public void JumpBeyond16Bits_Throws_ButJumpLongReaches()
    {
        ProgramBuilder tooFar = Pad(new ProgramBuilder().Jump("end"), 32768).Label("end");
        Assert.Contains("'end'", Assert.Throws<InvalidOperationException>(() => tooFar.Build()).Message);
        Instruction[] program = Pad(new ProgramBuilder().JumpLong("end"), 32768).Label("end").Build();
        Assert.Equal(32768, program[0].Immediate);
    }

    [Fact]
    public void Build_IsRepeatable_AndDoesNotShareState()
    {
        ProgramBuilder builder = new ProgramBuilder().Jump("x").Label("x").Exit();
        Instruction[] first = builder.Build();
        first[0] = Instruction.Exit();
        Assert.Equal(Instruction.Ja(0), builder.Build()[0]);
        Assert.Equal(2, builder.Count);
    }

    private static ProgramBuilder Pad(ProgramBuilder b, int slots)
    {
        for (int i = 0; i < slots; i++) b.Exit();
        return b;
    }

    private static readonly Dictionary<string, (Func<ProgramBuilder, ProgramBuilder> Build, int At)> Builders = Create();

    private static Dictionary<string, (Func<ProgramBuilder, ProgramBuilder> Build, int At)> Create()
    {
        var d = new Dictionary<string, (Func<ProgramBuilder, ProgramBuilder>, int)>(StringComparer.Ordinal);
        void Add(string text, Func<ProgramBuilder, ProgramBuilder> build, int at = 0) => d.Add(text, (build, at));

        (string, AluOperation)[] alu =
        [
            ("add", AluOperation.Add), ("sub", AluOperation.Sub), ("mul", AluOperation.Mul), ("div", AluOperation.Div),
            ("or", AluOperation.Or), ("and", AluOperation.And), ("lsh", AluOperation.Lsh), ("rsh", AluOperation.Rsh),
            ("mod", AluOperation.Mod), ("xor", AluOperation.Xor), ("mov", AluOperation.Mov), ("arsh", AluOperation.Arsh),
        ];
        foreach ((string n, AluOperation op) in alu)
        {
            Add($"{n} %r1, -3", b => b.Alu(op, R1, -3));
            Add($"{n} %r2, %r9", b => b.Alu(op, R2, R9));
            Add($"{n}32 %r3, 0xfffffff0", b => b.Alu(op, R3, unchecked((int)0xfffffff0), is64: false));
            Add($"{n}32 %r4, %r5", b => b.Alu(op, R4, R5, is64: false));
        }
        Add("neg %r1", b => b.Neg(R1));
        Add("neg32 %r2", b => b.Neg(R2, is64: false));
        Add("sdiv %r1, %r2", b => b.SignedDiv(R1, R2));
        Add("sdiv %r1, -7", b => b.SignedDiv(R1, -7));
        Add("sdiv32 %r1, %r2", b => b.SignedDiv(R1, R2, is64: false));
        Add("sdiv32 %r1, 7", b => b.SignedDiv(R1, 7, is64: false));
        Add("smod %r1, %r2", b => b.SignedMod(R1, R2));
        Add("smod %r1, -7", b => b.SignedMod(R1, -7));
        Add("smod32 %r1, %r2", b => b.SignedMod(R1, R2, is64: false));
        Add("smod32 %r1, 7", b => b.SignedMod(R1, 7, is64: false));
        Add("movsx864 %r1, %r2", b => b.MovSignExtend(R1, R2, 8));
        Add("movsx1664 %r1, %r2", b => b.MovSignExtend(R1, R2, 16));
        Add("movsx3264 %r1, %r2", b => b.MovSignExtend(R1, R2, 32));
        Add("movsx832 %r1, %r2", b => b.MovSignExtend(R1, R2, 8, is64: false));
        Add("movsx1632 %r1, %r2", b => b.MovSignExtend(R1, R2, 16, is64: false));
        foreach (int bits in new[] { 16, 32, 64 })
        {
            Add($"le{bits} %r3", b => b.Endian(R3, bits, ByteOrder.LittleEndian));
            Add($"be{bits} %r3", b => b.Endian(R3, bits, ByteOrder.BigEndian));
            Add($"bswap{bits} %r3", b => b.Endian(R3, bits, ByteOrder.Swap));
            Add($"swap{bits} %r4", b => b.Endian(R4, bits, ByteOrder.Swap));
        }

        (string, MemorySize)[] sizes = [("b", MemorySize.Byte), ("h", MemorySize.Half), ("w", MemorySize.Word), ("dw", MemorySize.DoubleWord)];
        foreach ((string s, MemorySize size) in sizes)
        {
            Add($"ldx{s} %r0, [%r1+4]", b => b.Load(size, R0, R1, 4));
            Add($"st{s} [%r10-8], 0x7f", b => b.Store(size, R10, -8, 0x7f));
            Add($"stx{s} [%r2], %r3", b => b.Store(size, R2, 0, R3));
            if (size == MemorySize.DoubleWord) continue;
            Add($"ldxs{s} %r5, [%r6-2]", b => b.LoadSignExtend(size, R5, R6, -2));
            Add($"ldabs{s} 12", b => b.LoadAbsolute(size, 12));
            Add($"ldind{s} %r7, -1", b => b.LoadIndirect(size, R7, -1));
        }
        (string, AtomicOperation, AtomicOperation)[] atomics =
        [
            ("add", AtomicOperation.Add, AtomicOperation.FetchAdd), ("or", AtomicOperation.Or, AtomicOperation.FetchOr),
            ("and", AtomicOperation.And, AtomicOperation.FetchAnd), ("xor", AtomicOperation.Xor, AtomicOperation.FetchXor),
        ];
        foreach ((string n, AtomicOperation op, AtomicOperation fetch) in atomics)
        {
            Add($"lock {n} [%r10-8], %r1", b => b.Atomic(op, MemorySize.DoubleWord, R10, -8, R1));
            Add($"lock {n}32 [%r10-4], %r1", b => b.Atomic(op, MemorySize.Word, R10, -4, R1));
            Add($"lock fetch {n} [%r2+16], %r3", b => b.Atomic(fetch, MemorySize.DoubleWord, R2, 16, R3));
            Add($"lock fetch {n}32 [%r2+16], %r3", b => b.Atomic(fetch, MemorySize.Word, R2, 16, R3));
        }
        Add("lock xchg [%r1], %r2", b => b.Atomic(AtomicOperation.Exchange, MemorySize.DoubleWord, R1, 0, R2));
        Add("lock xchg32 [%r1], %r2", b => b.Atomic(AtomicOperation.Exchange, MemorySize.Word, R1, 0, R2));
        Add("lock cmpxchg [%r1], %r2", b => b.Atomic(AtomicOperation.CompareExchange, MemorySize.DoubleWord, R1, 0, R2));
        Add("lock cmpxchg32 [%r1], %r2", b => b.Atomic(AtomicOperation.CompareExchange, MemorySize.Word, R1, 0, R2));

        (string, JumpOperation)[] jumps =
        [
            ("jeq", JumpOperation.Jeq), ("jgt", JumpOperation.Jgt), ("jge", JumpOperation.Jge), ("jset", JumpOperation.Jset),
            ("jne", JumpOperation.Jne), ("jsgt", JumpOperation.Jsgt), ("jsge", JumpOperation.Jsge), ("jlt", JumpOperation.Jlt),
            ("jle", JumpOperation.Jle), ("jslt", JumpOperation.Jslt), ("jsle", JumpOperation.Jsle),
        ];
        foreach ((string n, JumpOperation op) in jumps)
        {
            Add($"{n} %r1, 0x10, +3", b => Pad(b.JumpIf(op, R1, 0x10, "t"), 3).Label("t"));
            Add($"{n} %r1, %r2, -1", b => b.Label("t").JumpIf(op, R1, R2, "t"));
            Add($"{n}32 %r3, -5, +0", b => b.JumpIf(op, R3, -5, "t", is64: false).Label("t"));
            Add($"{n}32 %r3, %r4, +32767", b => Pad(b.JumpIf(op, R3, R4, "t", is64: false), 32767).Label("t"));
        }
        Add("ja +5", b => Pad(b.Jump("t"), 5).Label("t"));
        Add("ja -32768", b => Pad(b.Label("t"), 32767).Jump("t"), at: 32767);
        Add("ja32 +100000", b => Pad(b.JumpLong("t"), 100000).Label("t"));
        Add("gotol -2", b => b.Label("t").Exit().JumpLong("t"), at: 1);
        Add("call 5", b => b.Call(5));
        Add("call local +7", b => Pad(b.CallLocal("f"), 7).Label("f"));
        Add("call kfunc 1234", b => b.CallKfunc(1234));
        Add("call kfunc 77, 3", b => b.CallKfunc(77, 3));
        Add("call %r2", b => b.CallRegister(R2));
        Add("exit", b => b.Exit());

        Add("lddw %r0, 0x1122334455667788", b => b.LoadImm64(R0, 0x1122334455667788));
        Add("lddw %r9, -1", b => b.LoadImm64(R9, ulong.MaxValue));
        Add("lddw %r1, map_fd 3", b => b.LoadMapFd(R1, 3));
        Add("lddw %r1, map_value 4 16", b => b.LoadImm64(R1, LoadImmediateSource.MapValue, 4, 16));
        Add("lddw %r2, btf_id 99", b => b.LoadImm64(R2, LoadImmediateSource.BtfId, 99));
        Add("lddw %r3, func -3", b => b.Label("f").Exit().Exit().LoadFunction(R3, "f"), at: 2);
        Add("lddw %r4, map_idx 0", b => b.LoadImm64(R4, LoadImmediateSource.MapIndex, 0));
        Add("lddw %r5, map_idx_value 1 8", b => b.LoadImm64(R5, LoadImmediateSource.MapIndexValue, 1, 8));
        return d;
    }
}
