using Ebpf.Asm;

namespace Ebpf.Vm.Tests.Interpreter;

/// <summary>
/// Property: whatever the bytes, loading either succeeds or throws <see cref="VmProgramException"/>, and running
/// either returns or throws <see cref="VmFaultException"/>; nothing else escapes, and the host survives.
/// </summary>
public class RandomProgramTests
{
    // Opcodes the ISA defines, so random programs get past load often enough to exercise the loop.
    private static readonly byte[] Opcodes =
    [
        0x07, 0x17, 0x27, 0x37, 0x47, 0x57, 0x67, 0x77, 0x87, 0x97, 0xa7, 0xb7, 0xc7, 0xd7,
        0x0f, 0x1f, 0x2f, 0x3f, 0x4f, 0x5f, 0x6f, 0x7f, 0x9f, 0xaf, 0xbf, 0xcf,
        0x04, 0x14, 0x24, 0x34, 0x44, 0x54, 0x64, 0x74, 0x84, 0x94, 0xa4, 0xb4, 0xc4, 0xd4,
        0x0c, 0x1c, 0x2c, 0x3c, 0x4c, 0x5c, 0x6c, 0x7c, 0x9c, 0xac, 0xbc, 0xcc, 0xdc,
        0x05, 0x15, 0x25, 0x35, 0x45, 0x55, 0x65, 0x75, 0xa5, 0xb5, 0xc5, 0xd5, 0x85, 0x8d, 0x95,
        0x1d, 0x2d, 0x3d, 0x4d, 0x5d, 0x6d, 0x7d, 0xad, 0xbd, 0xcd, 0xdd,
        0x06, 0x16, 0x26, 0x36, 0x46, 0x56, 0x66, 0x76, 0xa6, 0xb6, 0xc6, 0xd6,
        0x1e, 0x2e, 0x3e, 0x4e, 0x5e, 0x6e, 0x7e, 0xae, 0xbe, 0xce, 0xde,
        0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b,
        0xc3, 0xdb, 0x18, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50,
    ];

    private static readonly int[] Immediates = [0, 1, -1, 8, 16, 32, 64, 5, 0x01, 0x41, 0xe1, 0xf1, 0xa0, int.MinValue, int.MaxValue];

    [Fact]
    public void RandomStructuredPrograms_OnlyEverFaultTyped()
    {
        var random = new Random(12345);
        int loaded = 0, ran = 0, faulted = 0;
        for (int n = 0; n < 20_000; n++)
        {
            var program = new Instruction[random.Next(1, 24)];
            for (int i = 0; i < program.Length; i++) program[i] = RandomInstruction(random);
            program[^1] = Instruction.Exit();
            Outcome outcome = Execute(program, random);
            if (outcome != Outcome.Rejected) loaded++;
            if (outcome == Outcome.Returned) ran++;
            if (outcome == Outcome.Faulted) faulted++;
        }
        // The generator must actually reach the dispatch loop, in both of its outcomes.
        Assert.True(ran > 1000 && faulted > 1000, $"loaded {loaded}, returned {ran}, faulted {faulted}");
    }

    [Fact]
    public void RandomBytes_OnlyEverFaultTyped()
    {
        var random = new Random(54321);
        for (int n = 0; n < 20_000; n++)
        {
            var bytes = new byte[8 * random.Next(1, 16)];
            random.NextBytes(bytes);
            var program = InstructionStream.DecodeUnchecked(bytes);
            if (random.Next(2) == 0) program[^1] = Instruction.Exit();
            Execute(program, random);
        }
    }

    private enum Outcome { Rejected, Returned, Faulted }

    private static Outcome Execute(Instruction[] instructions, Random random)
    {
        VmProgram program;
        try
        {
            program = VmProgram.Load(instructions, new VmOptions { InstructionBudget = 10_000 });
        }
        catch (VmProgramException)
        {
            return Outcome.Rejected;
        }
        var memory = new byte[random.Next(0, 64)];
        try
        {
            program.Run(memory);
            return Outcome.Returned;
        }
        catch (VmFaultException)
        {
            return Outcome.Faulted;
        }
    }

    private static Instruction RandomInstruction(Random random)
    {
        byte opcode = Opcodes[random.Next(Opcodes.Length)];
        var dst = (Register)random.Next(0, 11);
        var src = (Register)random.Next(0, 11);
        int cls = opcode & 0x07;
        bool registerForm = (opcode & 0x08) != 0;
        short offset = 0;
        int imm = random.Next(3) == 0 ? random.Next(-16, 64) : Immediates[random.Next(Immediates.Length)];
        switch (cls)
        {
            case 0x04 or 0x07: // ALU: offsets only select signed div/mod and movsx; dst must not be r10
                if (dst == Register.R10) dst = Register.R0;
                if ((opcode & 0xf0) is 0x30 or 0x90) offset = (short)random.Next(2);
                if ((opcode & 0xf0) == 0xb0 && registerForm) offset = (short)(new[] { 0, 8, 16, 32 })[random.Next(4)];
                if ((opcode & 0xf0) == 0xd0) { imm = (new[] { 16, 32, 64 })[random.Next(3)]; src = 0; }
                if (!registerForm) src = 0;
                break;
            case 0x05 or 0x06: // jumps stay near, calls reach the default helper or a nearby function
                offset = (short)random.Next(-3, 4);
                if (!registerForm) src = 0;
                if (opcode == 0x85) { src = (Register)random.Next(0, 2); imm = src == 0 ? 5 : random.Next(-3, 4); offset = 0; dst = 0; }
                if (opcode == 0x8d) { src = 0; offset = 0; imm = 0; }
                if (opcode == 0x95) { src = 0; dst = 0; offset = 0; imm = 0; }
                if (opcode == 0x05) imm = 0;
                if (opcode == 0x06) { imm = offset; offset = 0; }
                break;
            default: // memory: mostly through r1 (the memory) and r10 (the stack), at offsets in and around them
                offset = (short)random.Next(-520, 72);
                Register basePointer = random.Next(3) switch { 0 => Register.R1, 1 => Register.R10, _ => (Register)random.Next(0, 11) };
                if (cls == 0x01) { src = basePointer; if (dst == Register.R10) dst = Register.R0; imm = 0; }
                else if (cls is 0x02 or 0x03) { dst = basePointer; if (cls == 0x02) src = 0; }
                if (opcode is 0xc3 or 0xdb) { imm = (new[] { 0x00, 0x40, 0x50, 0xa0, 0x01, 0x41, 0x51, 0xa1, 0xe1, 0xf1 })[random.Next(10)]; offset = (short)(random.Next(-65, 9) * 8); }
                else if (cls == 0x03) imm = 0;
                if (cls == 0x00) { dst = 0; offset = 0; if (opcode is 0x20 or 0x28 or 0x30) src = 0; }
                break;
        }
        return new Instruction(new OpCode(opcode), dst, src, offset, imm);
    }
}
