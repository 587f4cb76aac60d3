using Ebpf.Asm;
using Ebpf.Btf;

namespace Ebpf.CoRe;

internal sealed partial class CoReRelocator
{
    private enum Outcome { Ok, Poison }

    // bpf_core_calc_relo: original (local) and new (target) values; a null target spec means "not found".
    private CoReResult Calculate(BtfCoReRelocation relo, CoReSpec localSpec, CoReSpec? targetSpec, string section)
    {
        var r = new CoReResult { Validate = true };
        Outcome outcome;
        if (IsFieldBased(relo.Kind))
        {
            outcome = CalculateField(relo, localSpec, out r.OriginalValue, out r.OriginalSize, out r.OriginalTypeId, out r.Validate, section);
            if (outcome == Outcome.Ok)
                outcome = CalculateField(relo, targetSpec, out r.NewValue, out r.NewSize, out r.NewTypeId, out _, section);
            if (outcome == Outcome.Ok && r.OriginalSize != r.NewSize)
            {
                BtfType? o = CoReTypes.Get(local, r.OriginalTypeId), n = CoReTypes.Get(target, r.NewTypeId);
                bool safe = (o is BtfPointer && n is BtfPointer)
                    || (o is BtfInt oi && n is BtfInt ni && oi.Encoding != BtfIntEncoding.Signed && ni.Encoding != BtfIntEncoding.Signed);
                r.FailMemorySizeAdjust = !safe;
            }
        }
        else if (IsTypeBased(relo.Kind))
        {
            r.OriginalValue = CalculateType(relo, localSpec, out r.Validate, section);
            r.NewValue = CalculateType(relo, targetSpec, out _, section);
            outcome = Outcome.Ok;
        }
        else
        {
            outcome = CalculateEnumValue(relo, localSpec, out r.OriginalValue);
            if (outcome == Outcome.Ok) outcome = CalculateEnumValue(relo, targetSpec, out r.NewValue);
        }
        r.Poison = outcome == Outcome.Poison;
        return r;
    }

    // bpf_core_calc_field_relo.
    private Outcome CalculateField(BtfCoReRelocation relo, CoReSpec? spec, out ulong value, out uint fieldSize, out uint typeId,
        out bool validate, string section)
    {
        value = 0; fieldSize = 0; typeId = 0; validate = true;
        if (relo.Kind == CoReRelocationKind.FieldExists) { value = spec is null ? 0u : 1u; return Outcome.Ok; }
        if (spec is null) return Outcome.Poison;
        CoReAccessor acc = spec.Accessors[^1];
        if (acc.Name is null)
        {
            long size = CoReTypes.ResolveSize(spec.Btf, acc.TypeId);
            if (size < 0) throw Error("cannot size the array element", relo, section);
            if (relo.Kind == CoReRelocationKind.FieldByteOffset)
            {
                value = (ulong)(spec.BitOffset / 8);
                fieldSize = (uint)size;
                typeId = acc.TypeId;
            }
            else if (relo.Kind == CoReRelocationKind.FieldByteSize) value = (ulong)size;
            else throw Error("this relocation kind is not supported on an array element", relo, section);
            return Outcome.Ok;
        }
        var composite = (BtfComposite)spec.Btf[acc.TypeId];
        BtfMember m = composite.Members[acc.Index];
        BtfType? mt = CoReTypes.Skip(spec.Btf, m.Type, out uint fieldType);
        ulong bitOffset = (ulong)spec.BitOffset, bitSize = m.BitfieldSize, byteOffset, byteSize;
        bool bitfield = bitSize > 0;
        if (bitfield)
        {
            byteSize = mt switch { BtfInt i => i.Size, BtfEnum e => e.Size, _ => 0 };
            if (byteSize == 0) throw Error("bitfield of a type without size", relo, section);
            byteOffset = bitOffset / 8 / byteSize * byteSize;
            while (bitOffset + bitSize - (byteOffset * 8) > byteSize * 8)
            {
                if (byteSize >= 8) throw Error("bitfield cannot be read with a 64-bit load", relo, section);
                byteSize *= 2;
                byteOffset = bitOffset / 8 / byteSize * byteSize;
            }
        }
        else
        {
            long size = CoReTypes.ResolveSize(spec.Btf, fieldType);
            if (size < 0) throw Error("cannot size the field", relo, section);
            byteSize = (ulong)size;
            byteOffset = bitOffset / 8;
            bitSize = byteSize * 8;
        }
        validate = !bitfield;
        switch (relo.Kind)
        {
            case CoReRelocationKind.FieldByteOffset:
                value = byteOffset;
                if (!bitfield) { fieldSize = (uint)byteSize; typeId = fieldType; }
                break;
            case CoReRelocationKind.FieldByteSize: value = byteSize; break;
            case CoReRelocationKind.FieldSigned:
                value = (mt is BtfEnum { IsSigned: true }) || (mt is BtfInt { IsSigned: true }) ? 1u : 0u;
                validate = true;
                break;
            case CoReRelocationKind.FieldLShiftU64: value = 64 - (bitOffset + bitSize - (byteOffset * 8)); break;
            case CoReRelocationKind.FieldRShiftU64: value = 64 - bitSize; validate = true; break;
            default: throw Error("unsupported field relocation kind", relo, section);
        }
        return Outcome.Ok;
    }

    // bpf_core_calc_type_relo: not found is 0, not poison.
    private ulong CalculateType(BtfCoReRelocation relo, CoReSpec? spec, out bool validate, string section)
    {
        validate = true;
        if (spec is null) return 0;
        switch (relo.Kind)
        {
            case CoReRelocationKind.TypeIdTarget: validate = false; return spec.RootTypeId;
            case CoReRelocationKind.TypeExists or CoReRelocationKind.TypeMatches: return 1;
            case CoReRelocationKind.TypeSize:
                long size = CoReTypes.ResolveSize(spec.Btf, spec.RootTypeId);
                return size >= 0 ? (ulong)size : throw Error("cannot size the type", relo, section);
            default: throw Error("unsupported type relocation kind", relo, section);
        }
    }

    // bpf_core_calc_enumval_relo: a 32-bit enumerator is read as s32 and sign-extended, as libbpf does.
    private static Outcome CalculateEnumValue(BtfCoReRelocation relo, CoReSpec? spec, out ulong value)
    {
        value = 0;
        if (relo.Kind == CoReRelocationKind.EnumValueExists) { value = spec is null ? 0u : 1u; return Outcome.Ok; }
        if (spec is null) return Outcome.Poison;
        var e = (BtfEnum)spec.Btf[spec.Accessors[0].TypeId];
        long v = e.Values[spec.Accessors[0].Index].Value;
        value = e.Is64 ? (ulong)v : (ulong)(long)(int)v;
        return Outcome.Ok;
    }

    // bpf_core_patch_insn.
    private void Patch(Instruction[] code, int index, BtfCoReRelocation relo, CoReResult r, string section)
    {
        Instruction insn = code[index];
        if (r.Poison) { Poison(code, index); return; }
        InstructionClass cls = insn.OpCode.Class;
        switch (cls)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                if (insn.OpCode.Source != OperandSource.Immediate) throw Error("ALU instruction with a register operand cannot be relocated", relo, section);
                if (r.Validate && (ulong)(long)insn.Immediate != r.OriginalValue)
                    throw Error($"instruction has immediate {insn.Immediate}, expected {r.OriginalValue}", relo, section);
                code[index] = insn.WithImmediate(unchecked((int)r.NewValue));
                return;
            case InstructionClass.Ldx or InstructionClass.St or InstructionClass.Stx:
                if (r.Validate && (ulong)(long)insn.Offset != r.OriginalValue)
                    throw Error($"instruction has offset {insn.Offset}, expected {r.OriginalValue}", relo, section);
                if (r.NewValue > (ulong)short.MaxValue) throw Error($"new offset {r.NewValue} does not fit in 16 bits", relo, section);
                if (r.FailMemorySizeAdjust) { Poison(code, index); return; }
                insn = insn.WithOffset((short)r.NewValue);
                if (r.NewSize != r.OriginalSize)
                {
                    if (SizeInBytes(insn) != r.OriginalSize) throw Error($"instruction accesses {SizeInBytes(insn)} bytes, the field has {r.OriginalSize}", relo, section);
                    int sizeBits = r.NewSize switch { 8 => 0x18, 4 => 0x00, 2 => 0x08, 1 => 0x10, _ => -1 };
                    if (sizeBits < 0) throw Error($"the target field's size {r.NewSize} is not a load size", relo, section);
                    byte op = (byte)((insn.OpCode.Value & ~0x18) | sizeBits);
                    insn = new Instruction(new OpCode(op), insn.Destination, insn.Source, insn.Offset, insn.Immediate);
                }
                code[index] = insn;
                return;
            case InstructionClass.Ld:
            {
                if (!insn.IsLoadImm64 || index + 1 >= code.Length || insn.Source != Register.R0 || insn.Offset != 0
                    || (code[index + 1].RawValue & 0xffffffff) != 0)
                    throw Error("only a plain lddw can take a 64-bit relocation", relo, section);
                ulong imm = Instruction.Imm64(insn, code[index + 1]);
                if (r.Validate && imm != r.OriginalValue) throw Error($"lddw has value {imm}, expected {r.OriginalValue}", relo, section);
                code[index] = insn.WithImmediate(unchecked((int)(uint)r.NewValue));
                code[index + 1] = code[index + 1].WithImmediate(unchecked((int)(uint)(r.NewValue >> 32)));
                return;
            }
            default:
                throw Error($"instruction with opcode 0x{insn.OpCode.Value:x2} cannot take a CO-RE relocation", relo, section);
        }
    }

    private static int SizeInBytes(Instruction insn) => (insn.OpCode.Value & 0x18) switch { 0x18 => 8, 0x00 => 4, 0x08 => 2, _ => 1 };

    // bpf_core_poison_insn: a call of helper 0xbad2310; the verifier rejects it only if it is reachable.
    private static void Poison(Instruction[] code, int index)
    {
        if (code[index].IsLoadImm64 && index + 1 < code.Length) code[index + 1] = Instruction.CallHelper(PoisonHelper);
        code[index] = Instruction.CallHelper(PoisonHelper);
    }
}
