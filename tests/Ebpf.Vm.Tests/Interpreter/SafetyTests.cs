using Ebpf.Asm;
using static Ebpf.Asm.Instruction;
using static Ebpf.Vm.Tests.Interpreter.Programs;
using R = Ebpf.Asm.Register;

namespace Ebpf.Vm.Tests.Interpreter;

public class SafetyTests
{
    [Theory]
    [InlineData(0)]      // r10 itself is one past the frame
    [InlineData(-513)]   // below the 512-byte frame
    [InlineData(-4)]     // straddles the top (8 bytes from r10-4)
    public void Stack_OutOfBounds_Faults(short offset)
    {
        var fault = Fault(LoadMemory(MemorySize.DoubleWord, R.R0, R.R10, offset), Exit());
        Assert.Equal(VmFaultReason.OutOfBounds, fault.Reason);
        Assert.Equal(0, fault.Pc);
        Assert.Equal(VmAddressSpace.FramePointer(0) + (ulong)(long)offset, fault.Address);
    }

    [Fact]
    public void Stack_StoreBelowTheFrame_Faults() =>
        Assert.Equal(VmFaultReason.OutOfBounds, Fault(StoreImmediate(MemorySize.Byte, R.R10, -513, 1), Exit()).Reason);

    [Theory]
    [InlineData(MemorySize.Byte, 4)]
    [InlineData(MemorySize.Half, 3)]
    [InlineData(MemorySize.Word, 1)]
    [InlineData(MemorySize.DoubleWord, -1)]
    public void Memory_OutOfBounds_LoadsAndStoresFault(MemorySize size, short offset)
    {
        byte[] memory = [1, 2, 3, 4];
        Assert.Equal(VmFaultReason.OutOfBounds, FaultWith(memory, LoadMemory(size, R.R0, R.R1, offset), Exit()).Reason);
        var store = FaultWith(memory, StoreImmediate(size, R.R1, offset, -1), Exit());
        Assert.Equal(VmFaultReason.OutOfBounds, store.Reason);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, memory);
    }

    [Fact]
    public void Context_OutOfBounds_Faults()
    {
        ulong context = 7;
        var program = VmProgram.Load(Of(LoadMemory(MemorySize.Word, R.R0, R.R1, 6), Exit()));
        Assert.Equal(VmFaultReason.OutOfBounds, Assert.Throws<VmFaultException>(() => program.Run(ref context)).Reason);
    }

    [Fact]
    public unsafe void ReadOnlyRegion_RejectsStoresAndAtomics_ButAllowsLoads()
    {
        byte[] bytes = [1, 2, 3, 4, 5, 6, 7, 8];
        fixed (byte* p = bytes)
        {
            var region = new VmMemoryRegion(p, bytes.Length, VmMemoryAccess.Read, VmMemoryRegionKind.Packet);
            ulong address = VmAddressSpace.RegionAddress(0);
            Assert.Equal(1ul, VmProgram.Load(Of(LoadMemory(MemorySize.Byte, R.R0, R.R1, 0), Exit())).Run([region], address));
            var store = VmProgram.Load(Of(StoreImmediate(MemorySize.Byte, R.R1, 0, 9), Exit()));
            var fault = Assert.Throws<VmFaultException>(() => store.Run([region], address));
            Assert.Equal(VmFaultReason.WriteToReadOnly, fault.Reason);
            Assert.Equal(address, fault.Address);
            var atomic = VmProgram.Load(Of(Atomic(AtomicOperation.Add, MemorySize.DoubleWord, R.R1, 0, R.R2), Exit()));
            Assert.Equal(VmFaultReason.WriteToReadOnly, Assert.Throws<VmFaultException>(() => atomic.Run([region], address)).Reason);
        }
        Assert.Equal(1, bytes[0]);
    }

    [Fact]
    public unsafe void HelperRegion_OutOfBounds_Faults()
    {
        var helpers = new Helpers.HelperTable();
        byte* buffer = stackalloc byte[4];
        nint address = (nint)buffer;
        helpers.Register(1, (ctx, _, _, _, _, _) => ctx.MapRegion((void*)address, 4, VmMemoryAccess.ReadWrite));
        var program = VmProgram.Load(Of(CallHelper(1), LoadMemory(MemorySize.Word, R.R0, R.R0, 2), Exit()), new VmOptions { Helpers = helpers });
        Assert.Equal(VmFaultReason.OutOfBounds, Assert.Throws<VmFaultException>(() => program.Run()).Reason);
    }

    [Fact]
    public void Helper_GivenAWildPointer_Faults()
    {
        var helpers = new Helpers.HelperTable();
        helpers.Register(1, (ctx, p, _, _, _, _) => ctx.GetSpan(p, 8, VmMemoryAccess.Read)[0]);
        var program = VmProgram.Load(Of(LoadImm64(R.R1, 0x7fff_dead_beef), CallHelper(1), Exit()), new VmOptions { Helpers = helpers });
        var fault = Assert.Throws<VmFaultException>(() => program.Run());
        Assert.Equal(VmFaultReason.OutOfBounds, fault.Reason);
        Assert.Equal(1, fault.Pc - 1); // the call is after the two lddw slots
    }

    [Theory]
    [InlineData(0ul)]
    [InlineData(8ul)]
    [InlineData(0x7fff_dead_beeful)]
    [InlineData(0xffff_ffff_ffff_fff8ul)]
    public void WildPointers_Fault(ulong pointer)
    {
        var fault = Fault(LoadImm64(R.R1, pointer), LoadMemory(MemorySize.DoubleWord, R.R0, R.R1, 0), Exit());
        Assert.Equal(VmFaultReason.OutOfBounds, fault.Reason);
        Assert.Equal(pointer, fault.Address);
        Assert.Equal(2, fault.Pc);
        Assert.Contains("op=0x79", fault.InstructionText, StringComparison.Ordinal);
    }

    [Fact]
    public void PointerArithmetic_FromOneRegionIntoTheNext_Faults() =>
        // frame 0 starts at slot 1; adding 4 GiB lands in slot 2 (frame 1), which is unmapped at depth 0
        Assert.Equal(VmFaultReason.OutOfBounds, Fault(Mov(R.R1, R.R10), LoadImm64(R.R2, 1ul << 32), Alu(AluOperation.Add, R.R1, R.R2),
            LoadMemory(MemorySize.Byte, R.R0, R.R1, -8), Exit()).Reason);

    [Theory]
    [InlineData(MemorySize.Word, -6)]
    [InlineData(MemorySize.DoubleWord, -12)]
    public void MisalignedAtomics_Fault(MemorySize size, short offset) =>
        Assert.Equal(VmFaultReason.MisalignedAtomic, Fault(Atomic(AtomicOperation.Add, size, R.R10, offset, R.R1), Exit()).Reason);

    [Fact]
    public void DeepRecursion_FaultsWithCallDepthExceeded()
    {
        var fault = Fault(CallLocal(-1), Exit());
        Assert.Equal(VmFaultReason.CallDepthExceeded, fault.Reason);
    }

    [Fact]
    public void EightFrames_AreAllowed_NineFault()
    {
        Assert.Equal(6ul, Recurse(6));
        Assert.Equal(VmFaultReason.CallDepthExceeded, Assert.Throws<VmFaultException>(() => Recurse(7)).Reason);
    }

    // main calls f, which calls itself `depth` times: depth + 2 frames in all.
    private static ulong Recurse(int depth) =>
        Run(Mov(R.R1, depth), Mov(R.R0, 0), CallLocal(1), Exit(),
            // f: if r1 == 0 return; r1--; r0++; f()
            Jump(JumpOperation.Jeq, R.R1, 0, 3), Alu(AluOperation.Sub, R.R1, 1), Alu(AluOperation.Add, R.R0, 1), CallLocal(-4), Exit());

    [Fact]
    public void RunawayLoop_FaultsWithBudgetExceeded_AfterExactlyTheBudget()
    {
        var program = VmProgram.Load(Of(Ja(-1), Exit()), new VmOptions { InstructionBudget = 1000 });
        var fault = Assert.Throws<VmFaultException>(() => program.Run());
        Assert.Equal(VmFaultReason.BudgetExceeded, fault.Reason);
        Assert.Equal(3ul, VmProgram.Load(Of(Mov(R.R0, 3), Exit()), new VmOptions { InstructionBudget = 2 }).Run());
        Assert.Throws<VmFaultException>(() => VmProgram.Load(Of(Mov(R.R0, 3), Exit()), new VmOptions { InstructionBudget = 1 }).Run());
    }

    [Fact]
    public void DefaultBudget_StopsAnInfiniteLoop() =>
        Assert.Equal(VmFaultReason.BudgetExceeded, Fault(Alu(AluOperation.Add, R.R0, 1), Ja(-2), Exit()).Reason);

    [Fact]
    public void Callx_OfAnUnknownHelper_Faults()
    {
        var fault = Fault(Mov(R.R2, 4242), CallRegister(R.R2), Exit());
        Assert.Equal(VmFaultReason.UnknownHelper, fault.Reason);
        Assert.Equal(1, fault.Pc);
    }

    [Fact]
    public void Faults_LeaveTheHostStateUsable()
    {
        var program = VmProgram.Load(Of(LoadMemory(MemorySize.DoubleWord, R.R0, R.R1, 0), Exit()));
        Assert.Throws<VmFaultException>(() => program.Run(new byte[4]));
        Assert.Equal(0x0807_0605_0403_0201ul, program.Run(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
    }

    public static TheoryData<string, Instruction[]> InvalidPrograms => new()
    {
        { "empty", [] },
        { "jump past the end", [Ja(5), Exit()] },
        { "jump before the start", [Ja(-3), Exit()] },
        { "jump into lddw", Of(Ja(1), LoadImm64(R.R0, 1), Exit()) },
        { "runs off the end", [Mov(R.R0, 1)] },
        { "conditional jump last", [Mov(R.R0, 1), Jump(JumpOperation.Jeq, R.R0, 1, -2)] },
        { "lddw last", Of(Exit(), LoadImm64(R.R0, 1)) },
        { "unknown helper", [CallHelper(4242), Exit()] },
        { "kfunc", [CallKfunc(1), Exit()] },
        { "local call outside", [CallLocal(100), Exit()] },
        { "map reference", Of(LoadImm64(R.R1, 3, LoadImmediateSource.MapFd), Exit()) },
        { "write r10", [Mov(R.R10, 0), Exit()] },
        { "fetch into r10", [Atomic(AtomicOperation.FetchAdd, MemorySize.DoubleWord, R.R1, 0, R.R10), Exit()] },
        { "undefined opcode", [Instruction.FromRawValue(0xff), Exit()] },
    };

    [Theory]
    [MemberData(nameof(InvalidPrograms))]
    public void InvalidPrograms_AreRejectedAtLoad(string what, Instruction[] program)
    {
        var e = Assert.Throws<VmProgramException>(() => VmProgram.Load(program));
        Assert.False(string.IsNullOrEmpty(e.Reason), what);
    }
}
