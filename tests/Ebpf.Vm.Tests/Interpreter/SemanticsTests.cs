using Ebpf.Asm;
using static Ebpf.Asm.Instruction;
using static Ebpf.Vm.Tests.Interpreter.Programs;
using R = Ebpf.Asm.Register;

namespace Ebpf.Vm.Tests.Interpreter;

public class SemanticsTests
{
    [Theory]
    [InlineData(AluOperation.Div, true, 0ul)]
    [InlineData(AluOperation.Div, false, 0ul)]
    [InlineData(AluOperation.Mod, true, 0xffff_ffff_0000_0007ul)]
    [InlineData(AluOperation.Mod, false, 0x7ul)]
    public void DivisionAndModuloByZero_AreDefined(AluOperation op, bool is64, ulong expected) =>
        Assert.Equal(expected, Run(LoadImm64(R.R0, 0xffff_ffff_0000_0007), Mov(R.R1, 0), Alu(op, R.R0, R.R1, is64), Exit()));

    [Theory]
    [InlineData(true, 0x8000_0000_0000_0000ul)]
    [InlineData(false, 0x8000_0000ul)]
    public void SignedDivision_IntMinByMinusOne_Wraps(bool is64, ulong expected) =>
        Assert.Equal(expected, Run(
            is64 ? LoadImm64(R.R0, 0x8000_0000_0000_0000) : LoadImm64(R.R0, 0x8000_0000),
            Alu(AluOperation.Div, R.R0, -1, is64, offset: 1), Exit()));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SignedModulo_IntMinByMinusOne_IsZero(bool is64) =>
        Assert.Equal(0ul, Run(
            is64 ? LoadImm64(R.R0, 0x8000_0000_0000_0000) : LoadImm64(R.R0, 0x8000_0000),
            Mov(R.R1, -1), Alu(AluOperation.Mod, R.R0, R.R1, is64, offset: 1), Exit()));

    [Fact]
    public void SignedModulo_TakesTheSignOfTheDividend() =>
        Assert.Equal(unchecked((ulong)-3L), Run(Mov(R.R0, -13), Alu(AluOperation.Mod, R.R0, 5, offset: 1), Exit()));

    [Fact]
    public void Alu32_ZeroExtends() =>
        Assert.Equal(0xffff_fffful, Run(Mov(R.R0, -1), Alu(AluOperation.Add, R.R0, 0, is64: false), Exit()));

    [Theory]
    [InlineData(AluOperation.Lsh, true, 65, 2ul)]
    [InlineData(AluOperation.Lsh, false, 33, 2ul)]
    [InlineData(AluOperation.Rsh, true, 64, 1ul)]
    public void ShiftCounts_AreMasked(AluOperation op, bool is64, int count, ulong expected) =>
        Assert.Equal(expected, Run(Mov(R.R0, 1), Mov(R.R1, count), Alu(op, R.R0, R.R1, is64), Exit()));

    [Fact]
    public void Arsh32_SignExtendsWithin32BitsThenZeroExtends() =>
        Assert.Equal(0xffff_fff0ul, Run(Mov(R.R0, -256), Alu(AluOperation.Arsh, R.R0, 4, is64: false), Exit()));

    [Theory]
    [InlineData(8, true, 0xffff_ffff_ffff_ff80ul)]
    [InlineData(16, true, 0xffff_ffff_ffff_8080ul)]
    [InlineData(32, true, 0xffff_ffff_8080_8080ul)]
    [InlineData(8, false, 0xffff_ff80ul)]
    [InlineData(16, false, 0xffff_8080ul)]
    public void MovSx_SignExtends(short bits, bool is64, ulong expected) =>
        Assert.Equal(expected, Run(LoadImm64(R.R1, 0x1234_5678_8080_8080), Alu(AluOperation.Mov, R.R0, R.R1, is64, offset: bits), Exit()));

    [Theory]
    [InlineData(16, ByteOrder.BigEndian, 0x8877ul)]
    [InlineData(32, ByteOrder.BigEndian, 0x8877_6655ul)]
    [InlineData(64, ByteOrder.BigEndian, 0x8877_6655_4433_2211ul)]
    [InlineData(16, ByteOrder.LittleEndian, 0x7788ul)]
    [InlineData(32, ByteOrder.LittleEndian, 0x5566_7788ul)]
    [InlineData(64, ByteOrder.LittleEndian, 0x1122_3344_5566_7788ul)]
    [InlineData(16, ByteOrder.Swap, 0x8877ul)]
    [InlineData(64, ByteOrder.Swap, 0x8877_6655_4433_2211ul)]
    public void ByteSwaps(int bits, ByteOrder order, ulong expected) =>
        Assert.Equal(expected, Run(LoadImm64(R.R0, 0x1122_3344_5566_7788), Endian(R.R0, bits, order), Exit()));

    [Fact]
    public void LoadsAndStores_RoundTripThroughTheStack() =>
        Assert.Equal(0xffff_ffff_ffff_fffeul, Run(
            StoreImmediate(MemorySize.DoubleWord, R.R10, -8, -2),
            LoadMemory(MemorySize.DoubleWord, R.R0, R.R10, -8),
            StoreRegister(MemorySize.Half, R.R10, -16, R.R0),
            LoadMemorySignExtend(MemorySize.Half, R.R0, R.R10, -16),
            Exit()));

    [Fact]
    public void MisalignedLoads_InsideARegion_Work() =>
        Assert.Equal(0x0403_0201ul, RunWith([0, 1, 2, 3, 4, 5], LoadMemory(MemorySize.Word, R.R0, R.R1, 1), Exit()));

    [Theory]
    [InlineData(AtomicOperation.Add, 12ul, 10ul)]
    [InlineData(AtomicOperation.FetchAdd, 12ul, 10ul)]
    [InlineData(AtomicOperation.FetchOr, 10ul, 10ul)]
    [InlineData(AtomicOperation.FetchAnd, 2ul, 10ul)]
    [InlineData(AtomicOperation.FetchXor, 8ul, 10ul)]
    [InlineData(AtomicOperation.Exchange, 2ul, 10ul)]
    public void Atomics_UpdateMemoryAndFetchTheOldValue(AtomicOperation op, ulong memory, ulong fetched)
    {
        foreach (var size in new[] { MemorySize.Word, MemorySize.DoubleWord })
        {
            Assert.Equal(memory, Run(
                StoreImmediate(MemorySize.DoubleWord, R.R10, -8, 10), Mov(R.R1, 2),
                Atomic(op, size, R.R10, -8, R.R1), LoadMemory(MemorySize.DoubleWord, R.R0, R.R10, -8), Exit()));
            Assert.Equal(op.Fetches() ? fetched : 2ul, Run(
                StoreImmediate(MemorySize.DoubleWord, R.R10, -8, 10), Mov(R.R1, 2),
                Atomic(op, size, R.R10, -8, R.R1), Mov(R.R0, R.R1), Exit()));
        }
    }

    [Fact]
    public void Atomics_OnAMisalignedHostBuffer_StillWork()
    {
        // The host buffer starts at an odd host address; the program address is aligned.
        byte[] backing = new byte[17];
        var program = VmProgram.Load(Of(Mov(R.R2, 5), Atomic(AtomicOperation.FetchAdd, MemorySize.DoubleWord, R.R1, 0, R.R2),
            LoadMemory(MemorySize.DoubleWord, R.R0, R.R1, 0), Exit()));
        Assert.Equal(5ul, program.Run(backing.AsSpan(1, 16)));
    }

    [Fact]
    public void CompareExchange_SwapsOnlyWhenEqual()
    {
        Assert.Equal(7ul, Run(StoreImmediate(MemorySize.DoubleWord, R.R10, -8, 3), Mov(R.R0, 3), Mov(R.R1, 7),
            Atomic(AtomicOperation.CompareExchange, MemorySize.DoubleWord, R.R10, -8, R.R1), LoadMemory(MemorySize.DoubleWord, R.R0, R.R10, -8), Exit()));
        Assert.Equal(3ul, Run(StoreImmediate(MemorySize.DoubleWord, R.R10, -8, 3), Mov(R.R0, 4), Mov(R.R1, 7),
            Atomic(AtomicOperation.CompareExchange, MemorySize.Word, R.R10, -8, R.R1), Exit()));
    }

    [Fact]
    public void LocalCalls_PassArguments_PreserveR6ToR9_AndGiveEachFrameItsOwnStack() =>
        Assert.Equal(1ul, Run(
            Mov(R.R1, 20), Mov(R.R6, 6), StoreImmediate(MemorySize.DoubleWord, R.R10, -8, 99),
            CallLocal(5),
            Jump(JumpOperation.Jne, R.R6, 6, 2), LoadMemory(MemorySize.DoubleWord, R.R1, R.R10, -8),
            Jump(JumpOperation.Jeq, R.R1, 99, 1), Mov(R.R0, -1),
            Exit(),
            // callee: r0 = r1 + 1; clobbers r6 and its own stack
            Mov(R.R6, 0), StoreImmediate(MemorySize.DoubleWord, R.R10, -8, 0),
            Mov(R.R0, R.R1), Alu(AluOperation.Sub, R.R0, 20), Alu(AluOperation.Add, R.R0, 1), Exit()));

    [Fact]
    public void HelperCalls_GetArgumentsAndReturnR0()
    {
        var helpers = new Helpers.HelperTable();
        helpers.Register(7, (_, a, b, c, d, e) => a + b + c + d + e);
        var program = VmProgram.Load(Of(Mov(R.R1, 1), Mov(R.R2, 2), Mov(R.R3, 3), Mov(R.R4, 4), Mov(R.R5, 5),
            CallHelper(7), Mov(R.R6, 7), CallRegister(R.R6), Exit()), new VmOptions { Helpers = helpers });
        Assert.Equal(15ul, program.Run());
    }

    [Fact]
    public void Helpers_ReadAndWriteProgramMemoryThroughTheContext()
    {
        var helpers = new Helpers.HelperTable();
        helpers.Register(1, (ctx, ptr, len, _, _, _) =>
        {
            Span<byte> span = ctx.GetSpan(ptr, (int)len, VmMemoryAccess.ReadWrite);
            span.Reverse();
            return span[0];
        });
        byte[] memory = [1, 2, 3];
        Assert.Equal(3ul, VmProgram.Load(Of(CallHelper(1), Exit()), new VmOptions { Helpers = helpers }).Run(memory));
        Assert.Equal(new byte[] { 3, 2, 1 }, memory);
    }

    [Fact]
    public unsafe void Helpers_CanMapRegionsTheProgramThenUses()
    {
        var helpers = new Helpers.HelperTable();
        ulong* value = stackalloc ulong[1];
        *value = 41;
        nint address = (nint)value;
        helpers.Register(1, (ctx, _, _, _, _, _) => ctx.MapRegion((void*)address, 8, VmMemoryAccess.ReadWrite, VmMemoryRegionKind.MapValue));
        var program = VmProgram.Load(Of(CallHelper(1), LoadMemory(MemorySize.DoubleWord, R.R1, R.R0, 0), Alu(AluOperation.Add, R.R1, 1),
            StoreRegister(MemorySize.DoubleWord, R.R0, 0, R.R1), Mov(R.R0, R.R1), Exit()), new VmOptions { Helpers = helpers });
        Assert.Equal(42ul, program.Run());
        Assert.Equal(42ul, *value);
    }

    [Fact]
    public void TypedContext_IsRegionOneAtR1()
    {
        var context = (A: 0x1111ul, B: 0x2222ul);
        var program = VmProgram.Load(Of(LoadMemory(MemorySize.DoubleWord, R.R0, R.R1, 8), StoreImmediate(MemorySize.DoubleWord, R.R1, 0, 5), Exit()));
        Assert.Equal(0x2222ul, program.Run(ref context));
        Assert.Equal(5ul, context.A);
    }

    [Fact]
    public void LegacyPacketLoads_AreBigEndian_AndEndTheProgramWithZeroOutsideThePacket()
    {
        byte[] packet = [0x12, 0x34, 0x56, 0x78, 0x9a];
        Assert.Equal(0x3456_789aul, RunWith(packet, LoadAbsolute(MemorySize.Word, 1), Exit()));
        Assert.Equal(0x789aul, RunWith(packet, Mov(R.R3, 2), LoadIndirect(MemorySize.Half, R.R3, 1), Exit()));
        Assert.Equal(0ul, RunWith(packet, Mov(R.R0, 9), LoadAbsolute(MemorySize.Word, 2), Mov(R.R0, 7), Exit()));
    }

    [Fact]
    public void Runs_DoNotAllocate()
    {
        var program = VmProgram.Load(Of(Mov(R.R0, 0), Mov(R.R2, 100), Alu(AluOperation.Add, R.R0, 3),
            StoreRegister(MemorySize.DoubleWord, R.R10, -8, R.R0), Alu(AluOperation.Sub, R.R2, 1),
            Jump(JumpOperation.Jne, R.R2, 0, -4), CallHelper(HelperFunctionIds.KtimeGetNs), Exit()));
        byte[] memory = new byte[16];
        program.Run(memory);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) program.Run(memory);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

file static class HelperFunctionIds
{
    public const int KtimeGetNs = Helpers.HelperTable.KtimeGetNs;
}
