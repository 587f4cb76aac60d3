using Ebpf.Asm;
using Ebpf.Linux;
using Ebpf.Testing;

namespace Ebpf.Vm.Tests;

/// <summary>bpf_tail_call in the VM: into a slot, falling through an empty one, and the kernel's limit of 33.</summary>
public sealed class TailCallTests
{
    // entry: tail-call slot `slot` of `jumps`; if that falls through, return 1. target: return 42.
    // self: count this run in counter[0], then tail-call slot 2 (itself); when the chain stops, return 7.
    private static CollectionSpec Spec()
    {
        var jumps = new MapSpec
        {
            Name = "jumps", Type = MapType.ProgArray, KeySize = 4, ValueSize = 4, MaxEntries = 4,
            InitialSlots = [new MapSlot(0, "target"), new MapSlot(2, "self")],
        };
        var counter = new MapSpec { Name = "counter", Type = MapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1 };
        Instruction[] Entry(int slot) => new ProgramBuilder()
            .LoadMapFd(Register.R2, 0).Mov(Register.R3, slot).Call(12)
            .Mov(Register.R0, 1).Exit().Build();
        ProgramSpec Program(string name, Instruction[] code, params MapReference[] maps) => new()
        {
            Name = name, SectionName = "raw_tp/x", Type = ProgramType.RawTracepoint, Instructions = [.. code], MapReferences = [.. maps], License = "GPL",
        };
        Instruction[] self = new ProgramBuilder()
            .Mov(Register.R6, Register.R1)
            .Store(MemorySize.Word, Register.R10, -4, 0)
            .LoadMapFd(Register.R1, 1).Mov(Register.R2, Register.R10).Add(Register.R2, -4).Call(1)
            .JumpIf(JumpOperation.Jeq, Register.R0, 0, "chain")
            .Mov(Register.R1, 1).Atomic(AtomicOperation.Add, MemorySize.DoubleWord, Register.R0, 0, Register.R1)
            .Label("chain")
            .Mov(Register.R1, Register.R6).LoadMapFd(Register.R2, 0).Mov(Register.R3, 2).Call(12)
            .Mov(Register.R0, 7).Exit().Build();
        return new CollectionSpec
        {
            ObjectName = "tailcalls",
            License = "GPL",
            Maps = [jumps, counter],
            Programs =
            [
                Program("entry0", Entry(0), new MapReference(0, "jumps", LoadImmediateSource.MapFd, 0)),
                Program("entry1", Entry(1), new MapReference(0, "jumps", LoadImmediateSource.MapFd, 0)),
                Program("target", new ProgramBuilder().Mov(Register.R0, 42).Exit().Build()),
                Program("self", self, new MapReference(2, "counter", LoadImmediateSource.MapFd, 0), new MapReference(11, "jumps", LoadImmediateSource.MapFd, 0)),
            ],
        };
    }

    private static uint Run(ILoadedCollection c, string program)
    {
        byte[] context = new byte[16];
        return c switch
        {
            KernelCollection k => k.Program(program).TestRun(new TestRunOptions { Context = context, Repeat = 0, ContextOutSize = 0 }).ReturnValue,
            _ => c.GetProgram(program).TestRun(context, new byte[16], out _, out _),
        };
    }

    [Fact]
    public void TailCalls_Jump_FallThrough_AndStopAfter33_AsInTheKernel()
    {
        using var vm = VmCollection.Load(Spec());
        Assert.Equal(42u, Run(vm, "entry0"));
        Assert.Equal(1u, Run(vm, "entry1"));                 // slot 1 is empty: the call falls through
        Assert.Equal(7u, Run(vm, "self"));
        Assert.Equal(34UL, vm.GetMap<uint, ulong>("counter").Lookup(0));   // the first run and 33 tail calls
        vm.SetProgram("jumps", 1, "target");
        Assert.Equal(42u, Run(vm, "entry1"));

        KernelAssert.RequireRoot();
        using KernelCollection kernel = KernelAssert.RunOrSkip(() => KernelCollection.Load(Spec()));
        Assert.Equal(42u, Run(kernel, "entry0"));
        Assert.Equal(1u, Run(kernel, "entry1"));
        Assert.Equal(7u, Run(kernel, "self"));
        Assert.Equal(34UL, kernel.GetMap<uint, ulong>("counter").Lookup(0));
    }
}
