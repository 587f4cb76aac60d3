using System.Globalization;
using System.Text.Json;
using Ebpf.Asm;

namespace Ebpf.Cli.Output;

/// <summary>
/// Instructions as JSON in the shape of <c>bpftool prog dump xlated -j opcodes</c>: one object per instruction
/// with <c>disasm</c> and <c>opcodes</c>, plus <c>pc</c>.
/// </summary>
internal static class InstructionJson
{
    /// <summary>Writes the program as a JSON array.</summary>
    public static void WriteProgram(Utf8JsonWriter w, ReadOnlySpan<Instruction> program, DisassemblyOptions? options)
    {
        w.WriteStartArray();
        foreach (DisassembledInstruction insn in Disassembler.Disassemble(program, options))
            WriteInstruction(w, insn);
        w.WriteEndArray();
    }

    /// <summary>Writes one instruction object.</summary>
    public static void WriteInstruction(Utf8JsonWriter w, DisassembledInstruction insn)
    {
        Instruction first = insn.Slots[0];
        w.WriteStartObject();
        w.WriteNumber("pc", insn.Index);
        w.WriteString("disasm", insn.Text);
        w.WriteStartObject("opcodes");
        w.WriteString("code", Hex(first.OpCode.Value));
        w.WriteString("src_reg", Hex((byte)first.Source));
        w.WriteString("dst_reg", Hex((byte)first.Destination));
        w.WriteString("off", Hex((ushort)first.Offset));
        w.WriteString("imm", Hex((uint)first.Immediate));
        if (insn.Slots.Count == 2) w.WriteString("imm64", "0x" + Instruction.Imm64(first, insn.Slots[1]).ToString("x", CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
