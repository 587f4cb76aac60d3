using Ebpf.Asm;

namespace Ebpf.Tests;

public class ProgramTagTests
{
    // Tags measured with `bpftool prog loadall` on Linux 6.18 for a program with one array-map lookup
    // (the map lddw carries src_reg = BPF_PSEUDO_MAP_FD and an fd in imm) and for `return XDP_DROP`.
    private static readonly ulong[] MapProgram =
    [
        0x00000000000001b7, 0x00000000fffc1a63, 0x000000000000a2bf, 0xfffffffc00000207, 0x0000000700001118,
        0x0000000000000000, 0x0000000100000085, 0x0000000000030015, 0x0000000000000179, 0x0000000100000107,
        0x000000000000107b, 0x00000002000000b7, 0x0000000000000095,
    ];

    [Fact]
    public void MapReferencingProgram_MatchesKernelTag_WhateverTheFd()
    {
        Instruction[] program = MapProgram.Select(Instruction.FromRawValue).ToArray();
        Assert.Equal("c1449139186ca030", ProgramTag.Format(ProgramTag.Compute(program)));
        program[4] = program[4].WithImmediate(42); // another fd: same tag
        Assert.Equal("c1449139186ca030", ProgramTag.Format(ProgramTag.Compute(program)));
    }

    [Fact]
    public void ReturnDrop_MatchesKernelTag_AndSha1Differs()
    {
        Instruction[] program = [Instruction.Mov(Register.R0, 1), Instruction.Exit()];
        Assert.Equal(0xb11459a0e11ca14cUL, ProgramTag.Compute(program));
        Assert.NotEqual(ProgramTag.Compute(program), ProgramTag.Compute(program, ProgramTagAlgorithm.Sha1));
    }

    [Fact]
    public void Parse_RoundTripsAndRejectsGarbage()
    {
        Assert.Equal(0xb11459a0e11ca14cUL, ProgramTag.Parse("b11459a0e11ca14c"));
        Assert.Throws<FormatException>(() => ProgramTag.Parse("b11459a0e11ca14"));
        Assert.Throws<FormatException>(() => ProgramTag.Parse("zz1459a0e11ca14c"));
    }
}
