using System.Runtime.CompilerServices;
using Ebpf.Asm;

namespace Ebpf.Tests.Asm;

public class InstructionTests
{
    [Fact]
    public void Instruction_IsEightBytes_InKernelLayout()
    {
        Assert.Equal(8, Unsafe.SizeOf<Instruction>());
        var insn = new Instruction(new OpCode(0x61), Register.R2, Register.R1, offset: -4, immediate: 0x11223344);
        var bytes = new byte[8];
        insn.Write(bytes);
        Assert.Equal(new byte[] { 0x61, 0x12, 0xfc, 0xff, 0x44, 0x33, 0x22, 0x11 }, bytes);
        Assert.Equal(insn, Instruction.Read(bytes));
        Assert.Equal(insn, Unsafe.As<byte, Instruction>(ref bytes[0]));
    }

    [Fact]
    public void LoadImm64_SplitsValueAcrossTwoSlots()
    {
        var (first, second) = Instruction.LoadImm64(Register.R0, 0x1122334455667788);
        Assert.Equal(0x5566778800000018UL, first.RawValue);
        Assert.Equal(0x1122334400000000UL, second.RawValue);
        Assert.Equal(0x1122334455667788UL, Instruction.Imm64(first, second));
    }

    [Theory]
    [InlineData(0x07, ConformanceGroup.Base64)]   // add64 imm
    [InlineData(0x04, ConformanceGroup.Base32)]   // add32 imm
    [InlineData(0x24, ConformanceGroup.DivMul32)] // mul32
    [InlineData(0x3f, ConformanceGroup.DivMul64)] // div64 reg
    [InlineData(0x16, ConformanceGroup.Base32)]   // jeq32
    [InlineData(0x15, ConformanceGroup.Base64)]   // jeq
    [InlineData(0x95, ConformanceGroup.Base32)]   // exit
    [InlineData(0x8d, ConformanceGroup.Callx)]    // callx
    [InlineData(0x18, ConformanceGroup.Base64)]   // lddw
    [InlineData(0x30, ConformanceGroup.Packet)]   // ldabsb
    [InlineData(0x79, ConformanceGroup.Base64)]   // ldxdw
    [InlineData(0x61, ConformanceGroup.Base32)]   // ldxw
    [InlineData(0xc3, ConformanceGroup.Atomic32)]
    [InlineData(0xdb, ConformanceGroup.Atomic64)]
    public void GroupOf_FollowsRfc9669(byte opcode, ConformanceGroup group) =>
        Assert.Equal(group, InstructionValidator.GroupOf(new Instruction(new OpCode(opcode))));

    [Theory]
    [InlineData(0x0000000000000095UL, null)]
    [InlineData(0x00000000000000f4UL, "not defined")]          // ALU op 0xf0
    [InlineData(0x00000000000000b7UL | (11UL << 8), "r11")]    // mov r11
    [InlineData(0x00000000000000b7UL | (10UL << 8), "read-only")]
    [InlineData(0x00000000000000d7UL | (24UL << 32), "16, 32 or 64")]
    [InlineData(0x00000000000001dbUL | (0x02UL << 32), "not defined")] // atomic imm 2
    public void Validate_NamesTheProblem(ulong raw, string? expected)
    {
        string? reason = InstructionValidator.Validate(Instruction.FromRawValue(raw));
        if (expected is null) Assert.Null(reason);
        else Assert.Contains(expected, reason);
    }

    [Fact]
    public void Decode_RejectsTruncatedLddwAndOddLength()
    {
        var (first, _) = Instruction.LoadImm64(Register.R1, 5);
        var e = Assert.Throws<InstructionFormatException>(() => InstructionStream.Decode(InstructionStream.Encode([first])));
        Assert.Equal(0, e.Slot);
        e = Assert.Throws<InstructionFormatException>(() => InstructionStream.Decode(new byte[12]));
        Assert.Contains("multiple of 8", e.Message);
    }
}
