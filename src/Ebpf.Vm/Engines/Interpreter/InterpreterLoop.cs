using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ebpf.Vm.Helpers;
using Ebpf.Vm.Runtime;
using static Ebpf.Vm.Runtime.AluSemantics;

namespace Ebpf.Vm.Engines.Interpreter;

/// <summary>
/// The dispatch loop: one <c>switch</c> on the opcode byte of a pre-decoded instruction. Everything static was
/// checked at load (<see cref="ProgramDecoder"/>), so the loop only checks what depends on run-time values:
/// memory accesses (<see cref="MemoryAccess"/>), the instruction budget, call depth and <c>callx</c> ids.
/// </summary>
[SkipLocalsInit] // registers, stack and region table are initialised explicitly below
internal static unsafe class InterpreterLoop
{
    private const int RegisterSlots = 16; // any 4-bit register field indexes inside the array

    /// <summary>A caller's state saved by a local call: where to return and its callee-saved registers.</summary>
    private struct Frame
    {
        public DecodedInstruction* ReturnTo;
        public ulong R6, R7, R8, R9;
    }

    /// <summary>Runs <paramref name="engine"/>'s program over <paramref name="regions"/> with r1 and r2 preset and returns r0.</summary>
    public static ulong Run(InterpreterEngine engine, ReadOnlySpan<VmMemoryRegion> regions, ulong r1, ulong r2, ref PacketWindow window)
    {
        RegionEntry* table = stackalloc RegionEntry[VmAddressSpace.MaxRegions];
        byte* stack = stackalloc byte[VmAddressSpace.MaxCallDepth * VmAddressSpace.StackSize];
        ulong* r = stackalloc ulong[RegisterSlots];
        Frame* frames = stackalloc Frame[VmAddressSpace.MaxCallDepth];

        new Span<ulong>(r, RegisterSlots).Clear();
        ProgramImage image = engine.Image;
        // The window is the caller's stack local (an engine is only called with one), so its address stays put.
        var state = new ExecutionState { Image = image, Regions = table, Window = (PacketWindow*)Unsafe.AsPointer(ref window) };
        MemoryAccess.MapRun(ref state, regions, stack);
        r[1] = r1;
        r[2] = r2;
        r[10] = VmAddressSpace.FramePointer(0);

        state.Stack = stack;
        state.Budget = image.InstructionBudget;
        state.InvokeFunction = &InvokeFunction;
        return Execute(engine, ref state, r, frames, engine.Ops, baseDepth: 0);
    }

    // A callback (bpf_loop): the function at `slot` runs in a new frame one below the helper's caller, with its
    // own registers, on the same run (regions, stack, budget), and its exit returns to the helper.
    private static ulong InvokeFunction(ref ExecutionState state, int slot, ulong* args)
    {
        int depth = state.Depth + 1;
        if (depth >= VmAddressSpace.MaxCallDepth) throw CallDepthFault(ref state, state.Pc);
        var engine = (InterpreterEngine)state.Image.Engine!;
        ulong* r = stackalloc ulong[RegisterSlots];
        Frame* frames = stackalloc Frame[VmAddressSpace.MaxCallDepth];
        new Span<ulong>(r, RegisterSlots).Clear();
        for (int i = 1; i <= 5; i++) r[i] = args[i - 1];
        MemoryAccess.EnterFrame(state.Regions, state.Stack, depth);
        r[10] = VmAddressSpace.FramePointer(depth);
        int callerDepth = state.Depth, callerPc = state.Pc;
        ulong result = Execute(engine, ref state, r, frames, engine.Ops + slot, depth);
        MemoryAccess.LeaveFrame(state.Regions, depth);
        (state.Depth, state.Pc) = (callerDepth, callerPc);
        return result;
    }

    private static ulong Execute(InterpreterEngine engine, ref ExecutionState state, ulong* r, Frame* frames, DecodedInstruction* start, int baseDepth)
    {
        RegionEntry* table = state.Regions;
        byte* stack = state.Stack;
        ProgramImage image = state.Image;
        HelperFunction?[] helpers = image.Helpers;
        long budget = state.Budget;
        int depth = baseDepth;
        int tailCalls = 0;
        {
            DecodedInstruction* ops = engine.Ops;
            DecodedInstruction* ip = start;
            while (true)
            {
                if (--budget < 0) throw BudgetFault(ref state, (int)(ip - ops));
                ulong* d = r + ip->Dst;
                switch (ip->OpCode)
                {
                    // ---- ALU64, immediate ----
                    case 0x07: *d = Add64(*d, (ulong)ip->Immediate); break;
                    case 0x17: *d = Sub64(*d, (ulong)ip->Immediate); break;
                    case 0x27: *d = Mul64(*d, (ulong)ip->Immediate); break;
                    case 0x37: *d = ip->Variant == 0 ? Div64(*d, (ulong)ip->Immediate) : SDiv64(*d, (ulong)ip->Immediate); break;
                    case 0x47: *d = Or64(*d, (ulong)ip->Immediate); break;
                    case 0x57: *d = And64(*d, (ulong)ip->Immediate); break;
                    case 0x67: *d = Lsh64(*d, (ulong)ip->Immediate); break;
                    case 0x77: *d = Rsh64(*d, (ulong)ip->Immediate); break;
                    case 0x87: *d = Neg64(*d); break;
                    case 0x97: *d = ip->Variant == 0 ? Mod64(*d, (ulong)ip->Immediate) : SMod64(*d, (ulong)ip->Immediate); break;
                    case 0xa7: *d = Xor64(*d, (ulong)ip->Immediate); break;
                    case 0xb7: *d = (ulong)ip->Immediate; break;
                    case 0xc7: *d = Arsh64(*d, (ulong)ip->Immediate); break;
                    case 0xd7: *d = ByteSwap(*d, ip->Variant); break;
                    // ---- ALU64, register ----
                    case 0x0f: *d = Add64(*d, r[ip->Src]); break;
                    case 0x1f: *d = Sub64(*d, r[ip->Src]); break;
                    case 0x2f: *d = Mul64(*d, r[ip->Src]); break;
                    case 0x3f: *d = ip->Variant == 0 ? Div64(*d, r[ip->Src]) : SDiv64(*d, r[ip->Src]); break;
                    case 0x4f: *d = Or64(*d, r[ip->Src]); break;
                    case 0x5f: *d = And64(*d, r[ip->Src]); break;
                    case 0x6f: *d = Lsh64(*d, r[ip->Src]); break;
                    case 0x7f: *d = Rsh64(*d, r[ip->Src]); break;
                    case 0x9f: *d = ip->Variant == 0 ? Mod64(*d, r[ip->Src]) : SMod64(*d, r[ip->Src]); break;
                    case 0xaf: *d = Xor64(*d, r[ip->Src]); break;
                    case 0xbf: *d = ip->Variant == 0 ? r[ip->Src] : MovSx64(r[ip->Src], ip->Variant); break;
                    case 0xcf: *d = Arsh64(*d, r[ip->Src]); break;
                    // ---- ALU32, immediate ----
                    case 0x04: *d = Add32(*d, (ulong)ip->Immediate); break;
                    case 0x14: *d = Sub32(*d, (ulong)ip->Immediate); break;
                    case 0x24: *d = Mul32(*d, (ulong)ip->Immediate); break;
                    case 0x34: *d = ip->Variant == 0 ? Div32(*d, (ulong)ip->Immediate) : SDiv32(*d, (ulong)ip->Immediate); break;
                    case 0x44: *d = Or32(*d, (ulong)ip->Immediate); break;
                    case 0x54: *d = And32(*d, (ulong)ip->Immediate); break;
                    case 0x64: *d = Lsh32(*d, (ulong)ip->Immediate); break;
                    case 0x74: *d = Rsh32(*d, (ulong)ip->Immediate); break;
                    case 0x84: *d = Neg32(*d); break;
                    case 0x94: *d = ip->Variant == 0 ? Mod32(*d, (ulong)ip->Immediate) : SMod32(*d, (ulong)ip->Immediate); break;
                    case 0xa4: *d = Xor32(*d, (ulong)ip->Immediate); break;
                    case 0xb4: *d = Mov32((ulong)ip->Immediate); break;
                    case 0xc4: *d = Arsh32(*d, (ulong)ip->Immediate); break;
                    case 0xd4: *d = ToLittleEndian(*d, ip->Variant); break;
                    // ---- ALU32, register ----
                    case 0x0c: *d = Add32(*d, r[ip->Src]); break;
                    case 0x1c: *d = Sub32(*d, r[ip->Src]); break;
                    case 0x2c: *d = Mul32(*d, r[ip->Src]); break;
                    case 0x3c: *d = ip->Variant == 0 ? Div32(*d, r[ip->Src]) : SDiv32(*d, r[ip->Src]); break;
                    case 0x4c: *d = Or32(*d, r[ip->Src]); break;
                    case 0x5c: *d = And32(*d, r[ip->Src]); break;
                    case 0x6c: *d = Lsh32(*d, r[ip->Src]); break;
                    case 0x7c: *d = Rsh32(*d, r[ip->Src]); break;
                    case 0x9c: *d = ip->Variant == 0 ? Mod32(*d, r[ip->Src]) : SMod32(*d, r[ip->Src]); break;
                    case 0xac: *d = Xor32(*d, r[ip->Src]); break;
                    case 0xbc: *d = MovSx32(r[ip->Src], ip->Variant); break;
                    case 0xcc: *d = Arsh32(*d, r[ip->Src]); break;
                    case 0xdc: *d = ToBigEndian(*d, ip->Variant); break;

                    // ---- JMP, immediate ----
                    case 0x05: ip = ops + ip->Target; continue;
                    case 0x15: if (Jeq64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x25: if (Jgt64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x35: if (Jge64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x45: if (Jset64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x55: if (Jne64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x65: if (Jsgt64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x75: if (Jsge64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0xa5: if (Jlt64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0xb5: if (Jle64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0xc5: if (Jslt64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0xd5: if (Jsle64(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    // ---- JMP, register ----
                    case 0x1d: if (Jeq64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x2d: if (Jgt64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x3d: if (Jge64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x4d: if (Jset64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x5d: if (Jne64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x6d: if (Jsgt64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x7d: if (Jsge64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0xad: if (Jlt64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0xbd: if (Jle64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0xcd: if (Jslt64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0xdd: if (Jsle64(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    // ---- JMP32, immediate ----
                    case 0x06: ip = ops + ip->Target; continue;
                    case 0x16: if (Jeq32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x26: if (Jgt32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x36: if (Jge32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x46: if (Jset32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x56: if (Jne32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x66: if (Jsgt32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0x76: if (Jsge32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0xa6: if (Jlt32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0xb6: if (Jle32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0xc6: if (Jslt32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    case 0xd6: if (Jsle32(*d, (ulong)ip->Immediate)) { ip = ops + ip->Target; continue; } break;
                    // ---- JMP32, register ----
                    case 0x1e: if (Jeq32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x2e: if (Jgt32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x3e: if (Jge32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x4e: if (Jset32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x5e: if (Jne32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x6e: if (Jsgt32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0x7e: if (Jsge32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0xae: if (Jlt32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0xbe: if (Jle32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0xce: if (Jslt32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;
                    case 0xde: if (Jsle32(*d, r[ip->Src])) { ip = ops + ip->Target; continue; } break;

                    // ---- calls and exit ----
                    case 0x85 when ip->Variant != 0:
                        if (depth + 1 >= VmAddressSpace.MaxCallDepth) throw CallDepthFault(ref state, (int)(ip - ops));
                        frames[depth] = new Frame { ReturnTo = ip + 1, R6 = r[6], R7 = r[7], R8 = r[8], R9 = r[9] };
                        depth++;
                        MemoryAccess.EnterFrame(table, stack, depth);
                        r[10] = VmAddressSpace.FramePointer(depth);
                        ip = ops + ip->Target;
                        continue;
                    case 0x85:
                        state.Pc = (int)(ip - ops);
                        // Callbacks a helper runs share the budget and know the depth they start below.
                        (state.Budget, state.Depth) = (budget, depth);
                        r[0] = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(helpers), ip->Target)!(
                            new HelperContext(ref state), r[1], r[2], r[3], r[4], r[5]);
                        budget = state.Budget;
                        break;
                    case ProgramDecoder.TailCall:
                        // bpf_tail_call(ctx, prog_array, index): on success the target runs in place of this program
                        // and never returns here; on failure execution goes on (the kernel's "fall through").
                        if (NextProgram(ref state, r, depth, ref tailCalls, (int)(ip - ops)) is { } next)
                        {
                            engine = next;
                            image = next.Image;
                            helpers = image.Helpers;
                            ops = ip = next.Ops;
                            continue;
                        }
                        r[0] = unchecked((ulong)-2L);   // -ENOENT, what the helper answers when it falls through
                        break;
                    case 0x8d:
                        state.Pc = (int)(ip - ops);
                        (state.Budget, state.Depth) = (budget, depth);
                        r[0] = CallIndirect(ref state, helpers, *d, r);
                        budget = state.Budget;
                        break;
                    case 0x95:
                        if (depth == baseDepth)
                        {
                            state.Budget = budget;
                            return r[0];
                        }
                        MemoryAccess.LeaveFrame(table, depth);
                        depth--;
                        r[6] = frames[depth].R6; r[7] = frames[depth].R7; r[8] = frames[depth].R8; r[9] = frames[depth].R9;
                        r[10] = VmAddressSpace.FramePointer(depth);
                        ip = frames[depth].ReturnTo;
                        continue;

                    // ---- loads ----
                    case 0x61: *d = Unsafe.ReadUnaligned<uint>(Read(ref state, r[ip->Src] + (ulong)ip->Target, 4, ip, ops)); break;
                    case ProgramDecoder.PacketContextLoad:
                        *d = ContextField(ref state, r[ip->Src] + (ulong)ip->Target, ip, ops);
                        break;
                    case 0x69: *d = Unsafe.ReadUnaligned<ushort>(Read(ref state, r[ip->Src] + (ulong)ip->Target, 2, ip, ops)); break;
                    case 0x71: *d = *Read(ref state, r[ip->Src] + (ulong)ip->Target, 1, ip, ops); break;
                    case 0x79: *d = Unsafe.ReadUnaligned<ulong>(Read(ref state, r[ip->Src] + (ulong)ip->Target, 8, ip, ops)); break;
                    case 0x81: *d = (ulong)(long)Unsafe.ReadUnaligned<int>(Read(ref state, r[ip->Src] + (ulong)ip->Target, 4, ip, ops)); break;
                    case 0x89: *d = (ulong)(long)Unsafe.ReadUnaligned<short>(Read(ref state, r[ip->Src] + (ulong)ip->Target, 2, ip, ops)); break;
                    case 0x91: *d = (ulong)(long)*(sbyte*)Read(ref state, r[ip->Src] + (ulong)ip->Target, 1, ip, ops); break;
                    case 0x18: *d = (ulong)ip->Immediate; ip += 2; continue;
                    case ProgramDecoder.MapValueAddress:
                        *d = VmAddressSpace.SlotAddress(state.MapRegionBase + (int)(ip->Immediate >> 32)) + (uint)ip->Immediate;
                        ip += 2;
                        continue;
                    case 0x20 or 0x28 or 0x30 or 0x40 or 0x48 or 0x50:
                        if (!LegacyPacketLoad(ref state, ip, r)) return 0; // the kernel ends the program with 0
                        break;
                    // ---- stores ----
                    case 0x62: Unsafe.WriteUnaligned(Write(ref state, *d + (ulong)ip->Target, 4, ip, ops), (uint)ip->Immediate); break;
                    case 0x6a: Unsafe.WriteUnaligned(Write(ref state, *d + (ulong)ip->Target, 2, ip, ops), (ushort)ip->Immediate); break;
                    case 0x72: *Write(ref state, *d + (ulong)ip->Target, 1, ip, ops) = (byte)ip->Immediate; break;
                    case 0x7a: Unsafe.WriteUnaligned(Write(ref state, *d + (ulong)ip->Target, 8, ip, ops), (ulong)ip->Immediate); break;
                    case 0x63: Unsafe.WriteUnaligned(Write(ref state, *d + (ulong)ip->Target, 4, ip, ops), (uint)r[ip->Src]); break;
                    case 0x6b: Unsafe.WriteUnaligned(Write(ref state, *d + (ulong)ip->Target, 2, ip, ops), (ushort)r[ip->Src]); break;
                    case 0x73: *Write(ref state, *d + (ulong)ip->Target, 1, ip, ops) = (byte)r[ip->Src]; break;
                    case 0x7b: Unsafe.WriteUnaligned(Write(ref state, *d + (ulong)ip->Target, 8, ip, ops), r[ip->Src]); break;
                    case 0xc3: ExecuteAtomic(ref state, ip, ops, r, is64: false); break;
                    case 0xdb: ExecuteAtomic(ref state, ip, ops, r, is64: true); break;

                    default:
                        throw Faults.Create(ref state, VmFaultReason.InvalidInstruction, (int)(ip - ops), 0,
                            $"opcode 0x{ip->OpCode:x2} has no case in the interpreter");
                }
                ip++;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Read(ref ExecutionState state, ulong address, uint size, DecodedInstruction* ip, DecodedInstruction* ops)
    {
        byte* p = MemoryAccess.TryTranslate(ref state, address, size, VmMemoryAccess.Read);
        if (p == null) ThrowAccess(ref state, address, size, VmMemoryAccess.Read, (int)(ip - ops));
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Write(ref ExecutionState state, ulong address, uint size, DecodedInstruction* ip, DecodedInstruction* ops)
    {
        byte* p = MemoryAccess.TryTranslate(ref state, address, size, VmMemoryAccess.Write);
        if (p == null) ThrowAccess(ref state, address, size, VmMemoryAccess.Write, (int)(ip - ops));
        return p;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowAccess(ref ExecutionState state, ulong address, uint size, VmMemoryAccess access, int pc) =>
        throw Faults.Access(ref state, address, size, access, pc);

    private static void ExecuteAtomic(ref ExecutionState state, DecodedInstruction* ip, DecodedInstruction* ops, ulong* r, bool is64)
    {
        uint size = is64 ? 8u : 4u;
        ulong address = r[ip->Dst] + (ulong)ip->Target;
        if ((address & (size - 1)) != 0)
            throw Faults.Create(ref state, VmFaultReason.MisalignedAtomic, (int)(ip - ops), address,
                $"{size}-byte atomic at 0x{address:x} is not {size}-byte aligned");
        byte* p = MemoryAccess.TryTranslate(ref state, address, size, VmMemoryAccess.ReadWrite);
        if (p == null) ThrowAccess(ref state, address, size, VmMemoryAccess.ReadWrite, (int)(ip - ops));
        int op = (int)ip->Immediate;
        ulong old = AtomicMemory.Execute(p, is64, op, r[ip->Src], r[0]);
        if (op == 0xf1) r[0] = old;                                   // cmpxchg: r0 gets the old value
        else if ((op & AtomicOperationFetch) != 0) r[ip->Src] = old;  // fetch and xchg: src gets it (zero-extended)
    }

    private const int AtomicOperationFetch = 0x01;

    // ldabs/ldind: r0 = the big-endian value at packet offset imm (+ src). False when outside the packet.
    // MAX_TAIL_CALL_CNT: the kernel stops following tail calls after 33 of them.
    private const int MaxTailCalls = 33;

    private static InterpreterEngine? NextProgram(ref ExecutionState state, ulong* r, int depth, ref int tailCalls, int pc)
    {
        if (!VmAddressSpace.TryGetMapIndex(r[2], state.Image.Maps.Length, out int index) || state.Image.Maps[index] is not IProgramSlots slots)
        {
            state.Pc = pc;
            throw Faults.Create(ref state, VmFaultReason.HelperFault, pc, r[2], "bpf_tail_call's second argument is no program array of this program");
        }
        if (r[3] > uint.MaxValue || tailCalls >= MaxTailCalls || slots.Program((uint)r[3]) is not { } target) return null;
        if (depth != 0)
            throw Faults.Create(ref state, VmFaultReason.HelperFault, pc, 0, "bpf_tail_call from a bpf-to-bpf call: the VM follows tail calls from the entry function only");
        // The target reads the same map handles and packet window: it must come from the same collection.
        if (target.Engine is not InterpreterEngine next || !target.Maps.AsSpan().SequenceEqual(state.Image.Maps))
            throw Faults.Create(ref state, VmFaultReason.HelperFault, pc, 0, "bpf_tail_call into a program of another collection or engine");
        tailCalls++;
        state.Image = target;
        return next;
    }

    // xdp_md's data, data_end and data_meta are 32-bit fields that the kernel's verifier turns into 64-bit pointer
    // loads; the decoder marks the 32-bit loads at their offsets, and a load that lands in the context reads the
    // packet's address here. Any other address is an ordinary 32-bit load.
    private static ulong ContextField(ref ExecutionState state, ulong address, DecodedInstruction* ip, DecodedInstruction* ops)
    {
        PacketWindow* w = state.Window;
        if (w->ContextRegion >= 0 && (address >> VmAddressSpace.RegionShift) == (ulong)(VmAddressSpace.FirstHostRegion + w->ContextRegion))
        {
            ulong frame = VmAddressSpace.SlotAddress(VmAddressSpace.FirstHostRegion + w->FrameRegion);
            switch (ProgramDecoder.PointerField(state.Image.PacketContext, (uint)address))
            {
                case 1: return frame + w->Data;
                case 2: return frame + w->DataEnd;
                case 3: return frame + w->Meta;
            }
        }
        return Unsafe.ReadUnaligned<uint>(Read(ref state, address, 4, ip, ops));
    }

    private static bool LegacyPacketLoad(ref ExecutionState state, DecodedInstruction* ip, ulong* r)
    {
        if (state.PacketRegion < 0) return false;
        RegionEntry* packet = state.Regions + state.PacketRegion;
        uint size = (ip->OpCode & 0x18) switch { 0x10 => 1u, 0x08 => 2u, _ => 4u };
        ulong offset = (ulong)ip->Immediate + ((ip->OpCode & 0xe0) == 0x40 ? r[ip->Src] : 0);
        if (offset > packet->Length || size > packet->Length - offset || (packet->Access & (byte)VmMemoryAccess.Read) == 0) return false;
        byte* p = packet->Host + offset;
        r[0] = size switch
        {
            1 => *p,
            2 => System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(p, 2)),
            _ => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(p, 4)),
        };
        return true;
    }

    private static ulong CallIndirect(ref ExecutionState state, HelperFunction?[] helpers, ulong id, ulong* r)
    {
        HelperFunction? helper = id < (ulong)helpers.Length ? helpers[(int)id] : null;
        if (helper is null)
            throw Faults.Create(ref state, VmFaultReason.UnknownHelper, state.Pc, 0, $"callx of helper id {id}, which the helper table does not hold");
        return helper(new HelperContext(ref state), r[1], r[2], r[3], r[4], r[5]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static VmFaultException BudgetFault(ref ExecutionState state, int pc) =>
        Faults.Create(ref state, VmFaultReason.BudgetExceeded, pc, 0,
            $"the program executed {state.Image.InstructionBudget} instructions, its whole budget");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static VmFaultException CallDepthFault(ref ExecutionState state, int pc) =>
        Faults.Create(ref state, VmFaultReason.CallDepthExceeded, pc, 0,
            $"a local call would nest deeper than {VmAddressSpace.MaxCallDepth} frames");
}
