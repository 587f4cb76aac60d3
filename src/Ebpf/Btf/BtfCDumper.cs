using System.Globalization;
using System.Text;

namespace Ebpf.Btf;

/// <summary>
/// The state of one BTF → C conversion (libbpf's <c>btf_dump</c> algorithm, reimplemented): per-type ordering and
/// emission state, the unique names given so far, and the output. <see cref="DumpType"/> writes one type and the
/// types it depends on that were not written yet; calling it for ids 1..n writes the whole header body.
/// </summary>
/// <remarks>
/// Split by concern: ordering (BtfCDumper.Ordering.cs), definitions of structs/enums/typedefs and padding
/// (BtfCDumper.Definitions.cs), C declarators (BtfCDumper.Declarator.cs).
/// </remarks>
internal sealed partial class BtfCDumper
{
    private const int MaxIndent = 13; // libbpf's indent string holds 13 tabs; deeper levels reuse all 13

    private readonly BtfType[] _types;         // by id, including void and base types
    private readonly TypeState[] _state;       // by id
    private readonly string?[] _resolvedNames; // by id: the unique name once resolved (null until then)
    private readonly int[] _alignments;        // by id: cached alignment + 1 (0 = not computed yet)
    private readonly Dictionary<string, int> _tagNames = new(StringComparer.Ordinal);   // struct/union/enum tags
    private readonly Dictionary<string, int> _identNames = new(StringComparer.Ordinal); // typedefs and enumerators
    private readonly List<uint> _emitQueue = new(64);
    private readonly int _pointerSize;
    private readonly bool _enumModeAttributes;
    private readonly StringBuilder _out;

    public BtfCDumper(BtfSpec spec, StringBuilder output, bool enumModeAttributes)
    {
        _out = output;
        _enumModeAttributes = enumModeAttributes;
        int count = spec.TypeCount;
        _types = new BtfType[count];
        for (uint id = 0; id < (uint)count; id++) _types[id] = spec[id];
        _state = new TypeState[count];
        _resolvedNames = new string?[count];
        _alignments = new int[count];
        _state[0].Order = OrderState.Ordered; // void needs no definition
        _state[0].Emit = EmitState.Emitted;
        _pointerSize = DeterminePointerSize(_types);
        MarkReferenced();
    }

    private enum OrderState : byte { NotOrdered, Ordering, Ordered }

    private enum EmitState : byte { NotEmitted, Emitting, Emitted }

    private struct TypeState
    {
        public OrderState Order;
        public EmitState Emit;
        public bool ForwardEmitted;  // struct: "struct X;" written; typedef: written early for use through pointers
        public bool NameResolved;
        public bool Referenced;      // some other type refers to it (tells inline anonymous enums from top-level ones)
    }

    /// <summary>Writes type <paramref name="id"/> and its not yet written dependencies.</summary>
    public void DumpType(uint id)
    {
        _emitQueue.Clear();
        OrderType(id, throughPointer: false);
        foreach (uint queued in _emitQueue) EmitType(queued, containerId: 0);
    }

    // A top-level anonymous enum (a set of constants) is written on its own; one that something refers to is
    // written inline where it is used. Only references tell them apart.
    private void MarkReferenced()
    {
        for (int i = 1; i < _types.Length; i++)
        {
            switch (_types[i])
            {
                case BtfReferenceType r: _state[r.Type].Referenced = true; break;
                case BtfArray a:
                    _state[a.IndexType].Referenced = true;
                    _state[a.ElementType].Referenced = true;
                    break;
                case BtfComposite c:
                    for (int j = 0; j < c.Members.Count; j++) _state[c.Members[j].Type].Referenced = true;
                    break;
                case BtfFuncProto p:
                    // libbpf marks parameters only, not the return type: an anonymous enum returned by a
                    // function prototype is treated as top-level, and we must agree to match its output.
                    for (int j = 0; j < p.Parameters.Count; j++) _state[p.Parameters[j].Type].Referenced = true;
                    break;
                case BtfDataSec d:
                    for (int j = 0; j < d.Variables.Count; j++) _state[d.Variables[j].Type].Referenced = true;
                    break;
            }
        }
    }

    // Pointer size as libbpf guesses it: the size of the first 4- or 8-byte integer spelled like "long",
    // otherwise the host's (8).
    private static int DeterminePointerSize(BtfType[] types)
    {
        for (int i = 1; i < types.Length; i++)
        {
            if (types[i] is BtfInt { Size: 4 or 8 } t && IsLongAlias(t.Name)) return (int)t.Size;
        }
        return 8;
    }

    private static bool IsLongAlias(string name) => name switch
    {
        "long" or "long int" or "int long" or "unsigned long" or "long unsigned" or "unsigned long int"
            or "unsigned int long" or "long unsigned int" or "long int unsigned" or "int unsigned long"
            or "int long unsigned" => true,
        _ => false,
    };

    /// <summary>
    /// Writes the definition of <paramref name="id"/> if it is due. <paramref name="containerId"/> is the named
    /// struct/union (or typedef) being defined around this reference, 0 at top level.
    /// </summary>
    private void EmitType(uint id, uint containerId)
    {
        ref TypeState state = ref _state[id];
        if (state.Emit == EmitState.Emitted) return;
        BtfType type = _types[id];
        bool topLevel = containerId == 0;

        if (state.Emit == EmitState.Emitting)
        {
            // A cycle: we are inside this type's own definition. A forward declaration satisfies the inner use
            // (which can only be through a pointer, or ordering would have failed).
            if (state.ForwardEmitted) return;
            switch (type)
            {
                case BtfComposite:
                    if (id == containerId || type.IsAnonymous) return; // self-reference, or nothing to name
                    EmitCompositeForward(id, type);
                    _out.Append(";\n\n");
                    state.ForwardEmitted = true;
                    break;
                case BtfTypedef typedef:
                    // A typedef is its own forward declaration: writing it early serves uses through pointers.
                    if (!IsBuiltin(type))
                    {
                        EmitTypedefDefinition(id, typedef, 0);
                        _out.Append(";\n\n");
                    }
                    state.ForwardEmitted = true;
                    break;
            }
            return;
        }

        switch (type)
        {
            case BtfInt:
                EmitMissingAlias(id);
                state.Emit = EmitState.Emitted;
                break;
            case BtfEnum e:
                if (topLevel)
                {
                    EmitEnumDefinition(id, e, 0);
                    _out.Append(";\n\n");
                }
                state.Emit = EmitState.Emitted;
                break;
            case BtfPointer or BtfConst or BtfVolatile or BtfRestrict or BtfTypeTag:
                EmitType(((BtfReferenceType)type).Type, containerId);
                break;
            case BtfArray a:
                EmitType(a.ElementType, containerId);
                break;
            case BtfForward f:
                EmitForwardKind(id, f);
                _out.Append(";\n\n");
                state.Emit = EmitState.Emitted;
                break;
            case BtfTypedef typedef:
                state.Emit = EmitState.Emitting;
                EmitType(typedef.Type, id);
                if (!state.ForwardEmitted && !IsBuiltin(type))
                {
                    EmitTypedefDefinition(id, typedef, 0);
                    _out.Append(";\n\n");
                }
                state.Emit = EmitState.Emitted;
                break;
            case BtfComposite c:
                EmitComposite(id, c, containerId, topLevel);
                break;
            case BtfFuncProto p:
                EmitType(p.ReturnType, containerId);
                IReadOnlyList<BtfParameter> parameters = p.Parameters;
                for (int i = 0; i < parameters.Count; i++) EmitType(parameters[i].Type, containerId);
                break;
        }
    }

    private void EmitComposite(uint id, BtfComposite c, uint containerId, bool topLevel)
    {
        _state[id].Emit = EmitState.Emitting;
        if (topLevel || c.IsAnonymous)
        {
            // All members are spelled out here, so whatever they name must be declared first. An anonymous
            // composite is defined inline, so it keeps the enclosing container.
            uint inner = c.IsAnonymous ? containerId : id;
            IReadOnlyList<BtfMember> members = c.Members;
            for (int i = 0; i < members.Count; i++) EmitType(members[i].Type, inner);
        }
        else if (!_state[id].ForwardEmitted && id != containerId)
        {
            EmitCompositeForward(id, c);
            _out.Append(";\n\n");
            _state[id].ForwardEmitted = true;
        }

        if (topLevel)
        {
            EmitCompositeDefinition(id, c, 0);
            _out.Append(";\n\n");
            _state[id].Emit = EmitState.Emitted;
        }
        else
        {
            _state[id].Emit = EmitState.NotEmitted;
        }
    }

    // __builtin_va_list is the compiler's own; a typedef of it from BTF would not compile under another compiler.
    private static bool IsBuiltin(BtfType type) => type.Name == "__builtin_va_list";

    // GCC's Arm SIMD typedefs point at internal __PolyN_t integer types no other compiler knows.
    private void EmitMissingAlias(uint id)
    {
        string name = TypeName(id);
        string? alias = name switch
        {
            "__Poly8_t" => "unsigned char",
            "__Poly16_t" => "unsigned short",
            "__Poly64_t" => "unsigned long long",
            "__Poly128_t" => "unsigned __int128",
            _ => null,
        };
        if (alias is not null) _out.Append("typedef ").Append(alias).Append(' ').Append(name).Append(";\n\n");
    }

    /// <summary>The struct/union/enum tag of <paramref name="id"/>, with a <c>___N</c> suffix for the Nth duplicate.</summary>
    private string TypeName(uint id) => ResolveName(id, _tagNames);

    /// <summary>The typedef name of <paramref name="id"/>, unique among typedefs and enumerators.</summary>
    private string IdentName(uint id) => ResolveName(id, _identNames);

    // Names are made unique in order of first use, not in id order: that is what makes the output reproducible
    // only by following the same emission order.
    private string ResolveName(uint id, Dictionary<string, int> names)
    {
        BtfType type = _types[id];
        if (type.IsAnonymous) return "";
        ref TypeState state = ref _state[id];
        if (state.NameResolved) return _resolvedNames[id] ?? type.Name;
        state.NameResolved = true;
        // Forward declarations and empty enums name a type defined elsewhere: they never count as duplicates.
        // (libbpf tests for BTF_KIND_ENUM only: an empty ENUM64 does count.)
        if (type is BtfForward || type is BtfEnum { Is64: false, Values.Count: 0 }) return type.Name;
        int count = CountOccurrence(names, type.Name);
        if (count > 1) _resolvedNames[id] = type.Name + "___" + count.ToString(CultureInfo.InvariantCulture);
        return _resolvedNames[id] ?? type.Name;
    }

    private static int CountOccurrence(Dictionary<string, int> names, string name)
    {
        ref int count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(names, name, out _);
        return ++count;
    }

    private void Indent(int level) => _out.Append('\t', Math.Min(level, MaxIndent));

    private void AppendNumber(long value)
    {
        Span<char> digits = stackalloc char[24];
        value.TryFormat(digits, out int written, provider: CultureInfo.InvariantCulture);
        _out.Append(digits[..written]);
    }

    private void AppendNumber(ulong value)
    {
        Span<char> digits = stackalloc char[24];
        value.TryFormat(digits, out int written, provider: CultureInfo.InvariantCulture);
        _out.Append(digits[..written]);
    }
}
