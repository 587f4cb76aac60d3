using Ebpf.Asm;
using Ebpf.Vm.Helpers;
using Ebpf.Vm.Runtime;

namespace Ebpf.Vm.Engines.Interpreter;

/// <summary>
/// Checks at load everything the dispatch loop relies on, so the loop itself decodes nothing and checks no
/// jump: every slot is a defined instruction, every jump and local call lands on an instruction (not outside
/// the program, not on the second slot of a <c>lddw</c>), every helper called by id exists, nothing writes r10,
/// and control cannot run off the end.
/// </summary>
internal static class ProgramDecoder
{
    /// <summary>Validates <paramref name="program"/> and returns its decoded form, one entry per slot.</summary>
    /// <exception cref="VmProgramException">The first thing the VM cannot run, with its slot.</exception>
    public static DecodedInstruction[] Decode(ReadOnlySpan<Instruction> program, HelperFunction?[] helpers, VmMemoryRegion[]? maps = null, PacketContextKind packetContext = PacketContextKind.None)
    {
        maps ??= [];
        if (program.IsEmpty) throw new VmProgramException(0, "the program is empty");
        try
        {
            InstructionStream.Validate(program);
        }
        catch (InstructionFormatException e)
        {
            throw new VmProgramException(e.Slot, e.Reason, e);
        }

        var isTail = new bool[program.Length];
        for (int i = 0; i < program.Length; i++)
            if (program[i].IsLoadImm64) isTail[++i] = true;

        var decoded = GC.AllocateArray<DecodedInstruction>(program.Length, pinned: true);
        for (int i = 0; i < program.Length; i++)
        {
            if (isTail[i]) continue; // stays opcode 0: never dispatched, lddw steps over it
            decoded[i] = DecodeOne(program, i, isTail, helpers, maps);
            // 32-bit loads at the context's pointer fields: checked at run time for landing in the context.
            if (decoded[i].OpCode == 0x61 && PointerField(packetContext, decoded[i].Target) != 0) decoded[i].OpCode = PacketContextLoad;
        }

        int last = program.Length - 1;
        if (isTail[last]) last--;
        Instruction end = program[last];
        bool endsWithJump = end.IsExit || (end.OpCode.IsJump && end.OpCode.JumpOperation == JumpOperation.Ja);
        if (!endsWithJump)
            throw new VmProgramException(last, "the last instruction must be exit or an unconditional jump: execution would run off the end");
        return decoded;
    }

    // lddw: a constant, a map handle (src 1: imm is the map's index in the program's table) or the address of a map
    // value (src 2: imm the index, the second slot's imm the offset), which depends on the run and decodes to the
    // interpreter's private opcode MapValueAddress.
    private static void DecodeLoadImmediate(ReadOnlySpan<Instruction> program, int i, VmMemoryRegion[] maps, ref DecodedInstruction d)
    {
        Instruction insn = program[i];
        switch ((LoadImmediateSource)insn.Source)
        {
            case 0:
                d.Immediate = (long)Instruction.Imm64(insn, program[i + 1]);
                return;
            case LoadImmediateSource.MapFd or LoadImmediateSource.MapValue when (uint)insn.Immediate >= (uint)maps.Length:
                throw new VmProgramException(i, $"lddw refers to map {insn.Immediate}; the program was loaded with {maps.Length} map(s) (load it through VmCollection, or pass VmOptions.Maps)");
            case LoadImmediateSource.MapFd:
                d.Immediate = (long)VmAddressSpace.MapHandle(insn.Immediate);
                return;
            case LoadImmediateSource.MapValue:
                uint offset = (uint)program[i + 1].Immediate;
                if (offset >= (uint)maps[insn.Immediate].Length)
                    throw new VmProgramException(i, $"lddw points {offset} bytes into map {insn.Immediate}, whose values take {maps[insn.Immediate].Length} bytes");
                d.OpCode = MapValueAddress;
                d.Immediate = ((long)insn.Immediate << 32) | offset;
                return;
            case LoadImmediateSource.Func:
                // The callback's first slot, relative to the next instruction as for calls; it must start an instruction.
                long target = i + 1L + insn.Immediate;
                if (target < 0 || target >= program.Length || !StartsInstruction(program, (int)target))
                    throw new VmProgramException(i, $"lddw of a function at instruction {target}, which is not inside the program or not an instruction");
                d.Immediate = (long)VmAddressSpace.FunctionHandle((int)target);
                return;
            default:
                throw new VmProgramException(i, $"lddw with pseudo-source {(LoadImmediateSource)insn.Source} needs a kernel object (BTF id, kfunc or fd array) the VM does not have");
        }
    }

    // Whether slot `target` starts an instruction (is not the second half of a lddw).
    private static bool StartsInstruction(ReadOnlySpan<Instruction> program, int target)
    {
        int i = 0;
        while (i < target) i += program[i].IsLoadImm64 ? 2 : 1;
        return i == target;
    }

    /// <summary>Which pointer field offset <paramref name="offset"/> of a context of kind <paramref name="kind"/> is: 1 data, 2 data_end, 3 data_meta, 0 none.</summary>
    internal static int PointerField(PacketContextKind kind, long offset) => (kind, offset) switch
    {
        (PacketContextKind.Xdp, 0) or (PacketContextKind.SocketBuffer, 76) => 1,
        (PacketContextKind.Xdp, 4) or (PacketContextKind.SocketBuffer, 80) => 2,
        (PacketContextKind.Xdp, 8) or (PacketContextKind.SocketBuffer, 140) => 3,
        _ => 0,
    };

    /// <summary>bpf_tail_call's helper id.</summary>
    internal const int TailCallHelper = 12;

    /// <summary>The interpreter's opcode for bpf_tail_call, which does not return on success (0x38 is no eBPF instruction).</summary>
    internal const byte TailCall = 0x38;

    /// <summary>The interpreter's opcode for "32-bit load that may read a packet pointer of the context" (0x08 is no eBPF instruction).</summary>
    internal const byte PacketContextLoad = 0x08;

    /// <summary>The interpreter's opcode for "address of a map value" (0x10 is no eBPF instruction).</summary>
    internal const byte MapValueAddress = 0x10;

    private static DecodedInstruction DecodeOne(ReadOnlySpan<Instruction> program, int i, bool[] isTail, HelperFunction?[] helpers, VmMemoryRegion[] maps)
    {
        Instruction insn = program[i];
        OpCode op = insn.OpCode;
        var d = new DecodedInstruction
        {
            OpCode = op.Value,
            Dst = (byte)insn.Destination,
            Src = (byte)insn.Source,
            Target = insn.Offset,
            Immediate = insn.Immediate,
        };
        switch (op.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                d.Variant = op.AluOperation switch
                {
                    AluOperation.Div or AluOperation.Mod or AluOperation.Mov => (byte)insn.Offset,
                    AluOperation.End => (byte)insn.Immediate,
                    _ => 0,
                };
                break;
            case InstructionClass.Jmp or InstructionClass.Jmp32:
                DecodeJump(program, i, isTail, helpers, ref d);
                break;
            case InstructionClass.Ld when insn.IsLoadImm64:
                DecodeLoadImmediate(program, i, maps, ref d);
                break;
            case InstructionClass.Stx when op.Mode == MemoryMode.Atomic:
                var atomic = (AtomicOperation)insn.Immediate;
                if (atomic.Fetches() && atomic != AtomicOperation.CompareExchange && insn.Source == Register.R10)
                    throw new VmProgramException(i, "atomic fetch would write r10, the read-only frame pointer");
                break;
        }
        return d;
    }

    private static void DecodeJump(ReadOnlySpan<Instruction> program, int i, bool[] isTail, HelperFunction?[] helpers, ref DecodedInstruction d)
    {
        Instruction insn = program[i];
        OpCode op = insn.OpCode;
        switch (op.JumpOperation)
        {
            case JumpOperation.Exit:
                return;
            case JumpOperation.Call when op.Source == OperandSource.Register:
                return; // callx: the helper id is only known at run time
            case JumpOperation.Call when insn.IsHelperCall && insn.Immediate == TailCallHelper:
                d.OpCode = TailCall;
                return;
            case JumpOperation.Call when insn.IsHelperCall:
                if ((uint)insn.Immediate >= (uint)helpers.Length || helpers[insn.Immediate] is null)
                    throw new VmProgramException(i, $"call of unknown helper {insn.Immediate}");
                d.Target = insn.Immediate;
                return;
            case JumpOperation.Call when insn.IsKfuncCall:
                throw new VmProgramException(i, $"call of kernel function (BTF id {insn.Immediate}): kfuncs exist only in the kernel");
            case JumpOperation.Call:
                d.Variant = 1;
                d.Target = CheckTarget(program, i, (long)i + 1 + insn.Immediate, isTail, "local call");
                return;
            case JumpOperation.Ja when op.Class == InstructionClass.Jmp32:
                d.Target = CheckTarget(program, i, (long)i + 1 + insn.Immediate, isTail, "jump");
                return;
            default:
                d.Target = CheckTarget(program, i, (long)i + 1 + insn.Offset, isTail, "jump");
                return;
        }
    }

    private static int CheckTarget(ReadOnlySpan<Instruction> program, int i, long target, bool[] isTail, string what)
    {
        if (target < 0 || target >= program.Length)
            throw new VmProgramException(i, $"{what} target {target} is outside the program (0..{program.Length - 1})");
        if (isTail[target])
            throw new VmProgramException(i, $"{what} target {target} is the second slot of a lddw");
        return (int)target;
    }
}
