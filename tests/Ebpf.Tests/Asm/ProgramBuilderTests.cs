using Ebpf.Asm;

namespace Ebpf.Tests.Asm;

public class ProgramBuilderTests
{
    [Fact]
    public void Loop_ResolvesBackwardLabel()
    {
        Instruction[] program = new ProgramBuilder()
            .Mov(Register.R0, 0)
            .Label("loop")
            .Add(Register.R0, 1)
            .JumpIf(JumpOperation.Jlt, Register.R0, 10, "loop")
            .Exit()
            .Build();
        // Encodings from the kernel UAPI: mov64 imm = 0xb7, add64 imm = 0x07, jlt imm = 0xa5, exit = 0x95.
        Assert.Equal(
            [0x00000000000000b7UL, 0x0000000100000007UL, 0x0000000afffe00a5UL, 0x0000000000000095UL],
            program.Select(i => i.RawValue));
    }

    [Fact]
    public void ForwardLabels_CountLddwAsTwoSlots()
    {
        Instruction[] program = new ProgramBuilder()
            .Jump("end")                              // 0: ja +2 (over the two lddw slots)
            .LoadImm64(Register.R1, 0x1122334455667788)
            .Label("end")
            .Exit()
            .Build();
        Assert.Equal(0x0000000000020005UL, program[0].RawValue);
        Assert.Equal(0x5566778800000118UL, program[1].RawValue);
        Assert.Equal(0x1122334400000000UL, program[2].RawValue);
    }

    [Fact]
    public void CallsAndLongJumps_PutOffsetsInImmediate()
    {
        Instruction[] program = new ProgramBuilder()
            .CallLocal("f")         // 0: call local +2
            .JumpLong("out")        // 1: gotol +1
            .Label("f")
            .Exit()                 // 2
            .Label("out")
            .CallRegister(Register.R3)
            .Call(5)
            .CallKfunc(1234, 2)
            .LoadFunction(Register.R2, "f")
            .Exit()
            .Build();
        Assert.Equal(0x0000000100001085UL, program[0].RawValue); // src = BPF_PSEUDO_CALL
        Assert.Equal(0x0000000100000006UL, program[1].RawValue); // JMP32 | JA
        Assert.Equal(0x000000000000038dUL, program[3].RawValue); // callx r3: register in dst
        Assert.Equal(0x0000000500000085UL, program[4].RawValue);
        Assert.Equal(0x000004d200022085UL, program[5].RawValue); // kfunc: src 2, off = module index
        Assert.Equal(0xfffffffb00004218UL, program[6].RawValue); // lddw r2, func -5 (src = BPF_PSEUDO_FUNC)
    }

    [Fact]
    public void V4Forms_EncodeAsRfc9669()
    {
        Instruction[] program = new ProgramBuilder()
            .SignedDiv(Register.R1, Register.R2)
            .SignedMod(Register.R1, Register.R2, is64: false)
            .MovSignExtend(Register.R1, Register.R2, 8)
            .LoadSignExtend(MemorySize.Half, Register.R0, Register.R1, 2)
            .Endian(Register.R0, 16, ByteOrder.Swap)
            .Atomic(AtomicOperation.CompareExchange, MemorySize.DoubleWord, Register.R10, -8, Register.R1)
            .Store(MemorySize.Word, Register.R10, -4, 7)
            .Exit()
            .Build();
        Assert.Equal(0x000000000001213fUL, program[0].RawValue);
        Assert.Equal(0x000000000001219cUL, program[1].RawValue);
        Assert.Equal(0x00000000000821bfUL, program[2].RawValue);
        Assert.Equal(0x0000000000021089UL, program[3].RawValue);
        Assert.Equal(0x00000010000000d7UL, program[4].RawValue);
        Assert.Equal(0x000000f1fff81adbUL, program[5].RawValue);
        Assert.Equal(0x00000007fffc0a62UL, program[6].RawValue);
        InstructionStream.Validate(program);
    }

    [Fact]
    public void UndefinedLabel_NamesIt()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ProgramBuilder().Jump("nowhere").Build());
        Assert.Contains("'nowhere'", e.Message);
        Assert.Throws<ArgumentException>(() => new ProgramBuilder().Label("a").Label("a"));
    }

    [Fact]
    public void BuilderAndAssembler_Agree()
    {
        Instruction[] built = new ProgramBuilder()
            .Mov(Register.R0, 0).Label("l").Add(Register.R0, 1).JumpIf(JumpOperation.Jne, Register.R0, 3, "l").Exit().Build();
        Instruction[] assembled = Assembler.Assemble("mov %r0, 0\nl:\nadd %r0, 1\njne %r0, 3, l\nexit");
        Assert.Equal(built, assembled);
    }
}

public class DisassemblerAnnotationTests
{
    [Fact]
    public void Annotate_NamesHelpersAndRelocations()
    {
        Instruction[] program = new ProgramBuilder().LoadImm64(Register.R1, 0).Call(1).Call(9999).Exit().Build();
        var symbols = new DisassemblySymbols();
        symbols.Relocations[0] = "drop_stats";
        var text = Disassembler.FormatProgram(program, new DisassemblyOptions { Symbols = symbols, Annotate = true });
        Assert.Equal("r1 = 0 ll  # drop_stats\ncall 1  # bpf_map_lookup_elem\ncall 9999\nexit\n", text);
        // Without Annotate the text is exactly llvm-objdump's.
        Assert.Equal("r1 = 0 ll\ncall 1\ncall 9999\nexit\n", Disassembler.FormatProgram(program, new DisassemblyOptions { Symbols = symbols }));
        // The assembler reads annotated text: the comment is a comment.
        var asm = Disassembler.FormatProgram(program, new DisassemblyOptions { Syntax = AsmSyntax.Conformance, Annotate = true });
        Assert.Equal(program, Assembler.Assemble(asm));
    }

    [Fact]
    public void HelperNames_ComeFromTheKernelEnum()
    {
        Assert.Equal("bpf_map_lookup_elem", HelperNames.Get(1));
        Assert.Equal("bpf_ktime_get_ns", HelperNames.Get(5));
        Assert.Equal("bpf_ringbuf_output", HelperNames.Get(HelperNames.IdOf("ringbuf_output")));
        Assert.Null(HelperNames.Get(0));
        Assert.Null(HelperNames.Get(-1));
        Assert.True(HelperNames.MaxId >= 211);
    }
}
