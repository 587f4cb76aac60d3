using System.Text.Json;
using Ebpf.Asm;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Commands;

public class AsmDisasmCommandTests
{
    private const string Program = "mov %r0, 0\nloop:\nadd %r0, 1\njlt %r0, 10, loop\nlddw %r1, 0x1122334455667788\nexit\n";

    [Fact]
    public void Asm_PrintsHex_AndWritesRawBytes_ThatDisasmReadsBack()
    {
        var (code, stdout, stderr) = CliProcess.Run(Program, "asm", "-");
        Assert.True(code == 0, stderr);
        Assert.Equal("b7 00 00 00 00 00 00 00\n07 00 00 00 01 00 00 00\na5 00 fe ff 0a 00 00 00\n18 01 00 00 88 77 66 55\n00 00 00 00 44 33 22 11\n95 00 00 00 00 00 00 00\n", stdout);

        string bin = Path.GetTempFileName();
        try
        {
            Assert.Equal(0, CliProcess.Run(Program, "asm", "-", "-o", bin).ExitCode);
            Assert.Equal(InstructionStream.Encode(Assembler.Assemble(Program)), File.ReadAllBytes(bin));
            var (dcode, text, _) = CliProcess.Run("", "disasm", bin, "--syntax", "asm");
            Assert.Equal(0, dcode);
            Assert.Equal(Assembler.Assemble(Program), Assembler.Assemble(text));
            var (_, llvm, _) = CliProcess.Run("", "disasm", bin);
            Assert.Contains("       2:\tif r0 < 10 goto -2", llvm);
            Assert.Contains("       3:\tr1 = 1234605616436508552 ll", llvm);
        }
        finally
        {
            File.Delete(bin);
        }
    }

    [Fact]
    public void Disasm_ReadsHexTextAndConformanceWords()
    {
        var (code, stdout, _) = CliProcess.Run("0x5566778800000018\n0x1122334400000000\n0x0000000000000095\n", "disasm", "-", "--syntax", "asm");
        Assert.Equal(0, code);
        Assert.Equal("lddw %r0, 0x1122334455667788\nexit\n", stdout);
    }

    [Fact]
    public void Disasm_Json_HasBpftoolOpcodesShape()
    {
        var (code, stdout, _) = CliProcess.Run("b7 01 00 00 2a 00 00 00 95 00 00 00 00 00 00 00", "disasm", "-", "--json");
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement first = doc.RootElement[0];
        Assert.Equal("r1 = 42", first.GetProperty("disasm").GetString());
        Assert.Equal("0xb7", first.GetProperty("opcodes").GetProperty("code").GetString());
        Assert.Equal("0x1", first.GetProperty("opcodes").GetProperty("dst_reg").GetString());
        Assert.Equal("0x2a", first.GetProperty("opcodes").GetProperty("imm").GetString());
    }

    [Fact]
    public void Disasm_ElfObject_ListsEveryProgramSectionLikeLlvmObjdump()
    {
        string obj = RepoPaths.BpfObject("xdp_drop_udp53.o");
        var (code, stdout, stderr) = CliProcess.Run("", "disasm", obj);
        Assert.True(code == 0, stderr);
        Assert.Contains("Disassembly of section xdp:", stdout);
        Assert.Contains("0000000000000000 <xdp_drop_udp53>:", stdout);
        Assert.DoesNotContain("section .text", stdout);   // empty, as llvm-objdump skips it
        Assert.Contains("exit", stdout);

        var (jcode, json, _) = CliProcess.Run("", "disasm", obj, "-p");
        Assert.Equal(0, jcode);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement section = doc.RootElement.GetProperty("sections")[0];
        Assert.Equal("xdp", section.GetProperty("name").GetString());
        Assert.Equal("xdp_drop_udp53", section.GetProperty("functions")[0].GetProperty("name").GetString());
        Assert.True(section.GetProperty("insns").GetArrayLength() > 10);
    }

    [Theory]
    [InlineData("mov %r11, 1\n", "-:1:5: expected a register like %r0-%r10, found '%r11'")]
    [InlineData("exit\njeq %r0, 0, nowhere\n", "-:2:13: expected a defined label, found 'nowhere'")]
    public void Asm_Error_IsOneLineWithPosition(string source, string message)
    {
        var (code, stdout, stderr) = CliProcess.Run(source, "asm", "-");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal($"Error: {message}", stderr.Trim());
    }

    [Theory]
    [InlineData("disasm /nonexistent/prog.o", "can't open '/nonexistent/prog.o': no such file")]
    [InlineData("disasm - --section xdp -i elf", "ELF")]
    public void Disasm_Error_IsOneLine(string args, string message)
    {
        var (code, _, stderr) = CliProcess.Run("not an elf object at all", args.Split(' '));
        Assert.Equal(1, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Disasm_OddByteCount_SaysWhere()
    {
        var (code, _, stderr) = CliProcess.Run("b7 00 00", "disasm", "-");
        Assert.Equal(1, code);
        Assert.Contains("not a multiple of 8", stderr);
    }
}
