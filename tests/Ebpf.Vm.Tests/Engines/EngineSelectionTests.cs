using Ebpf.Vm.Helpers;
using static Ebpf.Asm.Instruction;
using static Ebpf.Vm.Tests.Interpreter.Programs;
using R = Ebpf.Asm.Register;

namespace Ebpf.Vm.Tests.Engines;

public class EngineSelectionTests
{
    [Fact]
    public void Options_DefaultToTheInterpreter() =>
        Assert.Equal(VmEngine.Interpreter, new VmOptions().Engine);

    [Fact]
    public void Load_WithTheInterpreter_Runs() =>
        Assert.Equal(42ul, VmProgram.Load(Of(Mov(R.R0, 42), Exit()), new VmOptions { Engine = VmEngine.Interpreter }).Run());

    [Fact]
    public void Load_WithAnUnknownEngine_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VmProgram.Load(Of(Exit()), new VmOptions { Engine = (VmEngine)99 }));

    [Fact]
    public void HelperContext_Program_IsTheCallingProgram()
    {
        VmProgram? seen = null;
        var helpers = new HelperTable();
        helpers.Register(1, (ctx, _, _, _, _, _) =>
        {
            seen = ctx.Program;
            return (ulong)ctx.Program.Instructions.Length;
        });
        VmProgram program = VmProgram.Load(Of(CallHelper(1), Exit()), new VmOptions { Helpers = helpers });

        Assert.Equal(2ul, program.Run());
        Assert.Same(program, seen);
    }
}
