namespace Ebpf.Btf;

internal sealed partial class BtfCDumper
{
    // One shared stack of type ids for all declarators being written; each declarator works on its own frame
    // (from its start to the top), and nested declarators (parameters, inline struct members) push above it.
    private uint[] _declStack = new uint[64];
    private int _declCount;

    /// <summary>
    /// Writes a declaration of <paramref name="name"/> (may be empty) with type <paramref name="id"/> in C
    /// declarator syntax: <c>const char *name</c>, <c>int (*name)[4]</c>, <c>void (*name)(int, ...)</c>.
    /// </summary>
    /// <remarks>
    /// BTF lists a declaration outside-in (typedef → array → pointer → const → int) while C reads it
    /// inside-out around the name. The chain is pushed up to its terminal type (a named or inline type) and
    /// written from the top of the stack: qualifiers go before a base type but after a <c>*</c>, and arrays
    /// and prototypes wrap the rest of the declarator in parentheses.
    /// </remarks>
    private void EmitTypeDeclaration(uint id, string name, int level)
    {
        int start = _declCount;
        while (true)
        {
            Push(id);
            if (id == 0) break;
            BtfType t = _types[id];
            if (t is BtfPointer or BtfConst or BtfVolatile or BtfRestrict or BtfTypeTag)
                id = ((BtfReferenceType)t).Type;
            else if (t is BtfFuncProto p)
                id = p.ReturnType;
            else if (t is BtfArray a)
                id = a.ElementType;
            else
                break; // a terminal type (or one C cannot declare, which the chain then skips)
        }
        int count = _declCount - start;
        EmitTypeChain(start, ref count, name, level);
        _declCount = start;
    }

    private void Push(uint id)
    {
        if (_declCount == _declStack.Length) Array.Resize(ref _declStack, _declStack.Length * 2);
        _declStack[_declCount++] = id;
    }

    /// <summary>Writes the frame <c>[start, start + count)</c>, popping from its top as it goes.</summary>
    private void EmitTypeChain(int start, ref int count, string name, int level)
    {
        // Whether the last thing written was a '*': then "int **p", not "int * * p".
        // True at the start for a lone pointer of a prototype frame: "(*name)".
        bool lastWasPointer = true;
        while (count > 0)
        {
            uint id = _declStack[start + --count];
            if (id == 0)
            {
                EmitQualifiers(start, ref count);
                _out.Append("void");
                lastWasPointer = false;
                continue;
            }

            BtfType t = _types[id];
            switch (t)
            {
                case BtfInt or BtfFloat:
                    EmitQualifiers(start, ref count);
                    _out.Append(t.Name);
                    break;
                case BtfComposite c:
                    EmitQualifiers(start, ref count);
                    if (c.IsAnonymous) EmitCompositeDefinition(id, c, level);
                    else EmitCompositeForward(id, c);
                    break;
                case BtfEnum e:
                    EmitQualifiers(start, ref count);
                    if (e.IsAnonymous) EmitEnumDefinition(id, e, level);
                    else _out.Append("enum ").Append(TypeName(id));
                    break;
                case BtfForward f:
                    EmitQualifiers(start, ref count);
                    EmitForwardKind(id, f);
                    break;
                case BtfTypedef:
                    EmitQualifiers(start, ref count);
                    _out.Append(IdentName(id));
                    break;
                case BtfPointer:
                    _out.Append(lastWasPointer ? "*" : " *");
                    break;
                case BtfVolatile:
                    _out.Append(" volatile");
                    break;
                case BtfConst:
                    _out.Append(" const");
                    break;
                case BtfRestrict:
                    _out.Append(" restrict");
                    break;
                case BtfTypeTag:
                    EmitQualifiers(start, ref count);
                    _out.Append(" __attribute__((btf_type_tag(\"").Append(t.Name).Append("\")))");
                    break;
                case BtfArray a:
                    EmitArray(a, start, ref count, name, level, lastWasPointer);
                    return;
                case BtfFuncProto p:
                    EmitPrototype(p, start, ref count, name, level, lastWasPointer);
                    return;
                default:
                    return; // FUNC, VAR, DATASEC, DECL_TAG have no declarator
            }
            lastWasPointer = t is BtfPointer;
        }
        EmitName(name, lastWasPointer);
    }

    private void EmitArray(BtfArray a, int start, ref int count, string name, int level, bool lastWasPointer)
    {
        // Qualifiers on an array are GCC's copy of the element's (GCC bug 8354); they mean nothing, drop them.
        DropQualifiers(start, ref count);
        if (count == 0)
        {
            EmitName(name, lastWasPointer);
        }
        else
        {
            // The rest of the declarator binds tighter than []: "(*name)[4]"; a directly nested array needs
            // no parentheses: "name[2][4]".
            bool multiDimensional = _types[_declStack[start + count - 1]] is BtfArray;
            if (name.Length != 0 && !lastWasPointer) _out.Append(' ');
            if (!multiDimensional) _out.Append('(');
            EmitTypeChain(start, ref count, name, level);
            if (!multiDimensional) _out.Append(')');
        }
        _out.Append('[');
        AppendNumber(a.Length);
        _out.Append(']');
    }

    private void EmitPrototype(BtfFuncProto p, int start, ref int count, string name, int level, bool lastWasPointer)
    {
        // GCC marks noreturn function pointers volatile; clang does not, so the qualifier is dropped.
        DropQualifiers(start, ref count);
        if (count != 0)
        {
            _out.Append(" (");
            EmitTypeChain(start, ref count, name, level);
            _out.Append(')');
        }
        else
        {
            EmitName(name, lastWasPointer);
        }
        _out.Append('(');
        IReadOnlyList<BtfParameter> parameters = p.Parameters;
        // No parameters is "(void)": "()" would declare an unprototyped function. clang for BPF encodes
        // "(void)" as one void parameter. (libbpf before the 2024 fix wrote "()"; the oracle has the fix.)
        if (parameters.Count == 0 || (parameters.Count == 1 && parameters[0].Type == 0))
        {
            _out.Append("void)");
            return;
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            if (i > 0) _out.Append(", ");
            if (i == parameters.Count - 1 && parameters[i].Type == 0)
            {
                _out.Append("...");
                break;
            }
            EmitTypeDeclaration(parameters[i].Type, parameters[i].Name, level);
        }
        _out.Append(')');
    }

    /// <summary>Writes the qualifiers on top of the frame as prefixes (<c>const volatile int</c>).</summary>
    private void EmitQualifiers(int start, ref int count)
    {
        while (count > 0)
        {
            switch (_types[_declStack[start + count - 1]])
            {
                case BtfVolatile: _out.Append("volatile "); break;
                case BtfConst: _out.Append("const "); break;
                case BtfRestrict: _out.Append("restrict "); break;
                default: return;
            }
            count--;
        }
    }

    private void DropQualifiers(int start, ref int count)
    {
        while (count > 0 && _types[_declStack[start + count - 1]] is BtfVolatile or BtfConst or BtfRestrict or BtfTypeTag)
            count--;
    }

    private void EmitName(string name, bool lastWasPointer)
    {
        if (name.Length != 0 && !lastWasPointer) _out.Append(' ');
        _out.Append(name);
    }
}
