namespace Ebpf.Asm;

/// <summary>Encodes and decodes whole programs: the little-endian byte image of an instruction array.</summary>
public static class InstructionStream
{
    /// <summary>
    /// Decodes and validates a program: its length is a multiple of 8, every slot is a defined instruction and
    /// every <c>lddw</c> has a valid second slot.
    /// </summary>
    /// <exception cref="InstructionFormatException">The bytes are not a valid program; says which slot and why.</exception>
    public static Instruction[] Decode(ReadOnlySpan<byte> bytes)
    {
        Instruction[] program = DecodeUnchecked(bytes);
        Validate(program);
        return program;
    }

    /// <summary>Splits bytes into slots without validating them (a disassembler shows what it cannot run).</summary>
    /// <exception cref="InstructionFormatException">The length is not a multiple of 8.</exception>
    public static Instruction[] DecodeUnchecked(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Instruction.Size != 0)
            throw new InstructionFormatException(bytes.Length / Instruction.Size,
                $"program is {bytes.Length} bytes, not a multiple of {Instruction.Size}; {bytes.Length % Instruction.Size} trailing bytes");
        var program = new Instruction[bytes.Length / Instruction.Size];
        for (int i = 0; i < program.Length; i++)
            program[i] = Instruction.Read(bytes.Slice(i * Instruction.Size, Instruction.Size));
        return program;
    }

    /// <summary>Checks every slot of <paramref name="program"/>.</summary>
    /// <exception cref="InstructionFormatException">The first invalid slot.</exception>
    public static void Validate(ReadOnlySpan<Instruction> program)
    {
        for (int i = 0; i < program.Length; i++)
        {
            string? reason = InstructionValidator.Validate(program[i]);
            if (reason is not null) throw new InstructionFormatException(i, reason);
            if (program[i].IsLoadImm64)
            {
                if (i + 1 >= program.Length) throw new InstructionFormatException(i, "lddw needs a second slot but the program ends");
                reason = InstructionValidator.ValidateLoadImm64Tail(program[i + 1]);
                if (reason is not null) throw new InstructionFormatException(i + 1, reason);
                i++;
            }
        }
    }

    /// <summary>The little-endian byte image of <paramref name="program"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<Instruction> program)
    {
        var bytes = new byte[program.Length * Instruction.Size];
        for (int i = 0; i < program.Length; i++)
            program[i].Write(bytes.AsSpan(i * Instruction.Size));
        return bytes;
    }
}
