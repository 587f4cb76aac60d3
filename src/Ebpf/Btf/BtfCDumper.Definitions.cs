namespace Ebpf.Btf;

internal sealed partial class BtfCDumper
{
    // Padding types from widest to narrowest; "long" takes the pointer size.
    private static readonly string[] PadNames = ["long", "int", "short", "char"];

    private void EmitCompositeForward(uint id, BtfType type)
    {
        _out.Append(type is BtfStruct ? "struct" : "union");
        if (!type.IsAnonymous) _out.Append(' ').Append(TypeName(id));
    }

    private void EmitForwardKind(uint id, BtfForward f) =>
        _out.Append(f.IsUnion ? "union " : "struct ").Append(TypeName(id));

    private void EmitCompositeDefinition(uint id, BtfComposite c, int level)
    {
        bool isStruct = c is BtfStruct;
        int align = AlignOf(id);
        bool packed = isStruct && IsPacked(c);

        EmitCompositeForward(id, c);
        _out.Append(" {");
        long offset = 0;           // bit offset just past the previous member
        bool previousBitfield = false;
        IReadOnlyList<BtfMember> members = c.Members;
        for (int i = 0; i < members.Count; i++)
        {
            BtfMember m = members[i];
            int memberAlign = packed ? 1 : AlignOf(m.Type);
            bool inBitfield = previousBitfield && m.BitfieldSize != 0;
            EmitBitPadding(offset, m.BitOffset, memberAlign, inBitfield, level + 1);
            _out.Append('\n');
            Indent(level + 1);
            EmitTypeDeclaration(m.Type, m.Name, level + 1);
            if (m.BitfieldSize != 0)
            {
                _out.Append(": ");
                AppendNumber(m.BitfieldSize);
                offset = m.BitOffset + m.BitfieldSize;
                previousBitfield = true;
            }
            else
            {
                offset = m.BitOffset + Math.Max(0, ResolveSize(m.Type)) * 8;
                previousBitfield = false;
            }
            _out.Append(';');
        }

        // Only a struct's tail can need padding: a union is as large as its largest member.
        if (isStruct) EmitBitPadding(offset, (long)c.Size * 8, align, false, level + 1);

        // "struct empty {}" stays on one line.
        if (members.Count != 0 || c.Size != 0)
        {
            _out.Append('\n');
            Indent(level);
        }
        _out.Append('}');
        if (packed) _out.Append(" __attribute__((packed))");
    }

    /// <summary>
    /// Fills the gap between bit offsets <paramref name="from"/> and <paramref name="to"/> with unnamed
    /// bitfields (<c>int: 32;</c>) where the compiler's natural alignment would not put the next member at
    /// <paramref name="to"/> by itself.
    /// </summary>
    /// <remarks>
    /// <paramref name="nextAlign"/> is 0 for a member whose type has no alignment (void, function, forward
    /// declaration: invalid C, where libbpf divides by zero); it is treated as 1.
    /// </remarks>
    private void EmitBitPadding(long from, long to, int nextAlign, bool inBitfield, int level)
    {
        if (from >= to) return;
        Span<int> padBits = [_pointerSize * 8, 32, 16, 8];

        // The widest padding type whose next natural boundary does not pass the target; the compiler aligns
        // to that boundary anyway, so often no marker at all is needed to get there.
        int pad = 0;
        long aligned = 0;
        for (; pad < padBits.Length; pad++)
        {
            aligned = RoundUp(from, padBits[pad]);
            if (aligned <= to) break;
        }
        if (pad == padBits.Length) pad--; // none fits: fill with chars below

        if (aligned > from && aligned <= to)
        {
            // An explicit marker is needed inside a run of bitfields (the compiler would pack the next one
            // into the gap), when the next member's own alignment would not reach the boundary, or when the
            // rest after the boundary is no bigger than the part before it (the compiler would squeeze a
            // "<type>: N" into the hole and ignore it).
            if (inBitfield
                || (aligned == to && RoundUp(from, Math.Max(nextAlign, 1) * 8) != aligned)
                || (aligned != to && to - aligned <= aligned - from))
            {
                EmitPadField(level, PadNames[pad], inBitfield ? aligned - from : 0);
            }
            from = aligned;
        }

        // From an aligned offset: whole padding units, then the smallest type that holds the remainder.
        int bits = padBits[pad];
        string name = PadNames[pad];
        while (from != to)
        {
            long n = Math.Min(to - from, bits);
            if (n == bits)
            {
                EmitPadField(level, name, bits);
                from += bits;
                continue;
            }
            for (int i = padBits.Length - 1; i >= 0; i--)
            {
                name = PadNames[i];
                bits = padBits[i];
                if (bits < n) continue;
                EmitPadField(level, name, n);
                from += n;
                break;
            }
        }
    }

    private void EmitPadField(int level, string type, long bits)
    {
        _out.Append('\n');
        Indent(level);
        _out.Append(type).Append(": ");
        AppendNumber(bits);
        _out.Append(';');
    }

    private static long RoundUp(long value, long unit) => (value + unit - 1) / unit * unit;

    /// <summary>
    /// Whether the layout of <paramref name="c"/> is not the natural one (a non-bitfield member off its
    /// alignment, or a size that is not a multiple of the alignment): only <c>packed</c> reproduces it.
    /// </summary>
    private bool IsPacked(BtfComposite c)
    {
        int maxAlign = 1;
        IReadOnlyList<BtfMember> members = c.Members;
        for (int i = 0; i < members.Count; i++)
        {
            BtfMember m = members[i];
            int align = AlignOf(m.Type);
            if (align != 0 && m.BitfieldSize == 0 && m.BitOffset % (8u * (uint)align) != 0) return true;
            maxAlign = Math.Max(align, maxAlign);
        }
        return c.Size % (uint)maxAlign != 0;
    }

    /// <summary>The alignment libbpf infers for a type; 0 for types without one (void, functions, forwards).</summary>
    private int AlignOf(uint id)
    {
        int cached = _alignments[id];
        if (cached != 0) return cached - 1;
        int align = ComputeAlignment(id);
        _alignments[id] = align + 1;
        return align;
    }

    private int ComputeAlignment(uint id)
    {
        switch (_types[id])
        {
            case BtfInt t: return (int)Math.Min((uint)_pointerSize, t.Size);
            case BtfEnum t: return (int)Math.Min((uint)_pointerSize, t.Size);
            case BtfFloat t: return (int)Math.Min((uint)_pointerSize, t.Size);
            case BtfPointer: return _pointerSize;
            case BtfTypedef or BtfConst or BtfVolatile or BtfRestrict or BtfTypeTag:
                return AlignOf(((BtfReferenceType)_types[id]).Type);
            case BtfArray a: return AlignOf(a.ElementType);
            case BtfComposite c:
            {
                int maxAlign = 1;
                IReadOnlyList<BtfMember> members = c.Members;
                for (int i = 0; i < members.Count; i++)
                {
                    BtfMember m = members[i];
                    int align = AlignOf(m.Type);
                    if (align <= 0) return align;
                    maxAlign = Math.Max(maxAlign, align);
                    // A member off its natural alignment means the struct was packed.
                    if (m.BitfieldSize == 0 && m.BitOffset % (8u * (uint)align) != 0) return 1;
                }
                return c.Size % (uint)maxAlign != 0 ? 1 : maxAlign;
            }
            default: return 0;
        }
    }

    /// <summary>The size of a type in bytes, or -1 when it has none (void, function, forward, too large).</summary>
    private long ResolveSize(uint id)
    {
        ulong elements = 1;
        for (int depth = 0; depth < 32 && id != 0; depth++)
        {
            long size;
            switch (_types[id])
            {
                case BtfInt t: size = t.Size; break;
                case BtfComposite t: size = t.Size; break;
                case BtfEnum t: size = t.Size; break;
                case BtfDataSec t: size = t.Size; break;
                case BtfFloat t: size = t.Size; break;
                case BtfPointer: size = _pointerSize; break;
                case BtfTypedef or BtfConst or BtfVolatile or BtfRestrict or BtfVar or BtfDeclTag or BtfTypeTag:
                    id = ((BtfReferenceType)_types[id]).Type;
                    continue;
                case BtfArray a:
                    if (elements != 0 && a.Length > uint.MaxValue / elements) return -1;
                    elements *= a.Length;
                    id = a.ElementType;
                    continue;
                default: return -1;
            }
            if (elements != 0 && (ulong)size > uint.MaxValue / elements) return -1;
            return (long)elements * size;
        }
        return -1;
    }

    private void EmitEnumDefinition(uint id, BtfEnum e, int level)
    {
        _out.Append("enum");
        if (!e.IsAnonymous) _out.Append(' ').Append(TypeName(id));
        IReadOnlyList<BtfEnumValue> values = e.Values;
        if (values.Count == 0) return;

        _out.Append(" {");
        for (int i = 0; i < values.Count; i++)
        {
            BtfEnumValue v = values[i];
            _out.Append('\n');
            Indent(level + 1);
            // Enumerators share the ordinary identifier namespace with typedefs; counted on every definition.
            _out.Append(v.Name);
            int duplicates = CountOccurrence(_identNames, v.Name);
            if (duplicates > 1)
            {
                _out.Append("___");
                AppendNumber(duplicates);
            }
            _out.Append(" = ");
            if (e.Is64)
            {
                if (e.IsSigned) AppendNumber(v.Value); else AppendNumber((ulong)v.Value);
                _out.Append(e.IsSigned ? "LL," : "ULL,");
            }
            else
            {
                if (e.IsSigned) AppendNumber((int)v.Value); else AppendNumber((uint)v.Value);
                _out.Append(',');
            }
        }
        _out.Append('\n');
        Indent(level);
        _out.Append('}');
        // bpftool 7.1 (the libbpf of Linux 6.1) writes no size attribute; later libbpf does (see the option).
        if (_enumModeAttributes) EmitEnumSizeAttribute(e);
    }

    // C gives an enum the size of int unless a value needs 64 bits; mode() forces the BTF size otherwise.
    private void EmitEnumSizeAttribute(BtfEnum e)
    {
        if (e.Size == 1)
        {
            _out.Append(" __attribute__((mode(byte)))");
        }
        else if (e.Size == 8 && _pointerSize == 8)
        {
            // A 32-bit enum of 8 bytes always needs it; an enum64 only if no value has upper bits set.
            bool needsWordMode = !e.Is64 || e.Values.All(v => (ulong)v.Value >> 32 == 0);
            if (needsWordMode) _out.Append(" __attribute__((mode(word)))");
        }
    }

    private void EmitTypedefDefinition(uint id, BtfTypedef t, int level)
    {
        string name = IdentName(id);
        // Old GCC emits __gnuc_va_list as a typedef of void; the real definition is the compiler builtin.
        if (t.Type == 0 && name == "__gnuc_va_list")
        {
            _out.Append("typedef __builtin_va_list __gnuc_va_list");
            return;
        }
        _out.Append("typedef ");
        EmitTypeDeclaration(t.Type, name, level);
    }
}
