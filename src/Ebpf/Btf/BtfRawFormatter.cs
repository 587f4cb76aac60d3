using System.Globalization;
using System.Text;

namespace Ebpf.Btf;

/// <summary>
/// Writes BTF in the text form of <c>bpftool btf dump ... format raw</c>: one line per type with its id, kind,
/// name and attributes, then one indented line per member, enumerator, parameter or section variable.
/// </summary>
public static class BtfRawFormatter
{
    /// <summary>Writes every type the spec defines (not its base's) to <paramref name="output"/>.</summary>
    public static void Write(BtfSpec spec, TextWriter output)
    {
        var line = new StringBuilder(256);
        for (int i = 0; i < spec.OwnTypes.Count; i++)
        {
            line.Clear();
            Append(spec, spec.FirstTypeId + (uint)i, line);
            output.Write(line);
        }
    }

    /// <summary>The raw text of the whole spec.</summary>
    public static string Format(BtfSpec spec)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(spec, writer);
        return writer.ToString();
    }

    /// <summary>Appends the lines of type <paramref name="id"/>.</summary>
    public static void Append(BtfSpec spec, uint id, StringBuilder s)
    {
        BtfType type = spec[id];
        var c = CultureInfo.InvariantCulture;
        s.Append('[').Append(id.ToString(c)).Append("] ").Append(KindName(type.Kind)).Append(" '")
         .Append(type.IsAnonymous ? "(anon)" : type.Name).Append('\'');
        switch (type)
        {
            case BtfInt t:
                s.Append(c, $" size={t.Size} bits_offset={t.BitOffset} nr_bits={t.Bits} encoding={IntEncoding(t.Encoding)}\n");
                break;
            case BtfArray a:
                s.Append(c, $" type_id={a.ElementType} index_type_id={a.IndexType} nr_elems={a.Length}\n");
                break;
            case BtfComposite comp:
                s.Append(c, $" size={comp.Size} vlen={comp.Members.Count}\n");
                foreach (BtfMember m in comp.Members)
                {
                    s.Append(c, $"\t'{Anon(m.Name)}' type_id={m.Type} bits_offset={m.BitOffset}");
                    if (m.BitfieldSize != 0) s.Append(c, $" bitfield_size={m.BitfieldSize}");
                    s.Append('\n');
                }
                break;
            case BtfEnum e:
                s.Append(c, $" encoding={(e.IsSigned ? "SIGNED" : "UNSIGNED")} size={e.Size} vlen={e.Values.Count}\n");
                foreach (BtfEnumValue v in e.Values)
                {
                    string value = e.Is64
                        ? (e.IsSigned ? v.Value.ToString(c) + "LL" : ((ulong)v.Value).ToString(c) + "ULL")
                        : (e.IsSigned ? ((int)v.Value).ToString(c) : ((uint)v.Value).ToString(c));
                    s.Append(c, $"\t'{Anon(v.Name)}' val={value}\n");
                }
                break;
            case BtfForward f:
                s.Append(f.IsUnion ? " fwd_kind=union\n" : " fwd_kind=struct\n");
                break;
            case BtfFunc f:
                s.Append(c, $" type_id={f.Type} linkage={Linkage(f.Linkage)}\n");
                break;
            case BtfVar v:
                s.Append(c, $" type_id={v.Type}, linkage={Linkage(v.Linkage)}\n");
                break;
            case BtfDeclTag d:
                s.Append(c, $" type_id={d.Type} component_idx={d.ComponentIndex}\n");
                break;
            case BtfReferenceType r:
                s.Append(c, $" type_id={r.Type}\n");
                break;
            case BtfFuncProto p:
                s.Append(c, $" ret_type_id={p.ReturnType} vlen={p.Parameters.Count}\n");
                foreach (BtfParameter param in p.Parameters)
                    s.Append(c, $"\t'{Anon(param.Name)}' type_id={param.Type}\n");
                break;
            case BtfDataSec d:
                s.Append(c, $" size={d.Size} vlen={d.Variables.Count}\n");
                foreach (BtfVarSecInfo v in d.Variables)
                {
                    BtfType target = spec.Contains(v.Type) ? spec[v.Type] : BtfVoid.Instance;
                    s.Append(c, $"\ttype_id={v.Type} offset={v.Offset} size={v.Size} ({KindName(target.Kind)} '{Anon(target.Name)}')\n");
                }
                break;
            case BtfFloat f:
                s.Append(c, $" size={f.Size}\n");
                break;
            default:
                s.Append('\n');
                break;
        }
    }

    /// <summary>bpftool's name of a kind (BTF_KIND_ without the prefix).</summary>
    public static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.Void => "UNKNOWN",
        BtfKind.Int => "INT",
        BtfKind.Pointer => "PTR",
        BtfKind.Array => "ARRAY",
        BtfKind.Struct => "STRUCT",
        BtfKind.Union => "UNION",
        BtfKind.Enum => "ENUM",
        BtfKind.Forward => "FWD",
        BtfKind.Typedef => "TYPEDEF",
        BtfKind.Volatile => "VOLATILE",
        BtfKind.Const => "CONST",
        BtfKind.Restrict => "RESTRICT",
        BtfKind.Func => "FUNC",
        BtfKind.FuncProto => "FUNC_PROTO",
        BtfKind.Var => "VAR",
        BtfKind.DataSec => "DATASEC",
        BtfKind.Float => "FLOAT",
        BtfKind.DeclTag => "DECL_TAG",
        BtfKind.TypeTag => "TYPE_TAG",
        BtfKind.Enum64 => "ENUM64",
        _ => "UNKNOWN",
    };

    private static string Anon(string name) => name.Length == 0 ? "(anon)" : name;

    /// <summary>bpftool's name of an integer encoding: <c>(none)</c>, <c>SIGNED</c>, <c>CHAR</c>, <c>BOOL</c>.</summary>
    public static string IntEncoding(BtfIntEncoding e) => e switch
    {
        BtfIntEncoding.None => "(none)",
        BtfIntEncoding.Signed => "SIGNED",
        BtfIntEncoding.Char => "CHAR",
        BtfIntEncoding.Bool => "BOOL",
        _ => "UNKN",
    };

    /// <summary>bpftool's name of a linkage: <c>static</c>, <c>global</c>, <c>extern</c>.</summary>
    public static string Linkage(BtfLinkage l) => l switch
    {
        BtfLinkage.Static => "static",
        BtfLinkage.Global => "global",
        BtfLinkage.Extern => "extern",
        _ => "(unknown)",
    };
}
