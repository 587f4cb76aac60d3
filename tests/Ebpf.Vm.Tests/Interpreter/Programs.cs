using Ebpf.Asm;

namespace Ebpf.Vm.Tests.Interpreter;

/// <summary>Builds small programs from Instruction factories: lddw pairs are flattened into two slots.</summary>
internal static class Programs
{
    public static Instruction[] Of(params object[] parts)
    {
        var list = new List<Instruction>();
        foreach (object part in parts)
        {
            switch (part)
            {
                case Instruction i: list.Add(i); break;
                case ValueTuple<Instruction, Instruction> pair: list.Add(pair.Item1); list.Add(pair.Item2); break;
                case IEnumerable<Instruction> many: list.AddRange(many); break;
                default: throw new ArgumentException($"not an instruction: {part}");
            }
        }
        return [.. list];
    }

    public static ulong Run(params object[] parts) => VmProgram.Load(Of(parts)).Run();

    public static ulong RunWith(byte[] memory, params object[] parts) => VmProgram.Load(Of(parts)).Run(memory);

    public static VmFaultException Fault(params object[] parts) =>
        Assert.Throws<VmFaultException>(() => VmProgram.Load(Of(parts)).Run());

    public static VmFaultException FaultWith(byte[] memory, params object[] parts) =>
        Assert.Throws<VmFaultException>(() => VmProgram.Load(Of(parts)).Run(memory));
}
