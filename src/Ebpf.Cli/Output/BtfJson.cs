using System.Text.Json;
using Ebpf.Btf;

namespace Ebpf.Cli.Output;

/// <summary>BTF types as JSON in the shape of <c>bpftool btf dump ... -j</c>: <c>{"types":[{"id":1,"kind":"INT",...}]}</c>.</summary>
internal static class BtfJson
{
    /// <summary>Writes every type the spec defines.</summary>
    public static void Write(Utf8JsonWriter w, BtfSpec spec)
    {
        w.WriteStartObject();
        w.WriteStartArray("types");
        for (int i = 0; i < spec.OwnTypes.Count; i++)
            WriteType(w, spec, spec.FirstTypeId + (uint)i);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteType(Utf8JsonWriter w, BtfSpec spec, uint id)
    {
        BtfType type = spec[id];
        w.WriteStartObject();
        w.WriteNumber("id", id);
        w.WriteString("kind", BtfRawFormatter.KindName(type.Kind));
        w.WriteString("name", type.IsAnonymous ? Anon : type.Name);
        switch (type)
        {
            case BtfInt t:
                w.WriteNumber("size", t.Size);
                w.WriteNumber("bits_offset", t.BitOffset);
                w.WriteNumber("nr_bits", t.Bits);
                w.WriteString("encoding", BtfRawFormatter.IntEncoding(t.Encoding));
                break;
            case BtfArray a:
                w.WriteNumber("type_id", a.ElementType);
                w.WriteNumber("index_type_id", a.IndexType);
                w.WriteNumber("nr_elems", a.Length);
                break;
            case BtfComposite c:
                w.WriteNumber("size", c.Size);
                WriteList(w, "members", c.Members, (w, m) =>
                {
                    w.WriteString("name", OrAnon(m.Name));
                    w.WriteNumber("type_id", m.Type);
                    w.WriteNumber("bits_offset", m.BitOffset);
                    if (m.BitfieldSize != 0) w.WriteNumber("bitfield_size", m.BitfieldSize);
                });
                break;
            case BtfEnum e:
                w.WriteString("encoding", e.IsSigned ? "SIGNED" : "UNSIGNED");
                w.WriteNumber("size", e.Size);
                WriteList(w, "values", e.Values, (w, v) =>
                {
                    w.WriteString("name", v.Name);
                    if (e.IsSigned) w.WriteNumber("val", e.Is64 ? v.Value : (int)v.Value);
                    // bpftool 7.1 sign-extends 32-bit values before printing them unsigned (so -5 shows as
                    // 18446744073709551611 in JSON but 4294967291 in raw text): its JSON is the contract, keep it.
                    else w.WriteNumber("val", e.Is64 ? (ulong)v.Value : (ulong)(long)(int)v.Value);
                });
                break;
            case BtfForward f:
                w.WriteString("fwd_kind", f.IsUnion ? "union" : "struct");
                break;
            case BtfFunc f:
                WriteLinkage(w, f.Type, f.Linkage);
                break;
            case BtfVar v:
                WriteLinkage(w, v.Type, v.Linkage);
                break;
            case BtfDeclTag d:
                w.WriteNumber("type_id", d.Type);
                w.WriteNumber("component_idx", d.ComponentIndex);
                break;
            case BtfReferenceType r:
                w.WriteNumber("type_id", r.Type);
                break;
            case BtfFuncProto p:
                w.WriteNumber("ret_type_id", p.ReturnType);
                WriteList(w, "params", p.Parameters, (w, param) =>
                {
                    w.WriteString("name", OrAnon(param.Name));
                    w.WriteNumber("type_id", param.Type);
                });
                break;
            case BtfDataSec d:
                w.WriteNumber("size", d.Size);
                WriteList(w, "vars", d.Variables, (w, v) =>
                {
                    w.WriteNumber("type_id", v.Type);
                    w.WriteNumber("offset", v.Offset);
                    w.WriteNumber("size", v.Size);
                });
                break;
            case BtfFloat f:
                w.WriteNumber("size", f.Size);
                break;
        }
        w.WriteEndObject();
    }

    private const string Anon = "(anon)";

    private static string OrAnon(string name) => name.Length == 0 ? Anon : name;

    // bpftool writes a list's length as vlen just before the list.
    private static void WriteList<T>(Utf8JsonWriter w, string name, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> fields)
    {
        w.WriteNumber("vlen", items.Count);
        w.WriteObjects(name, items, fields);
    }

    private static void WriteLinkage(Utf8JsonWriter w, uint type, BtfLinkage linkage)
    {
        w.WriteNumber("type_id", type);
        w.WriteString("linkage", BtfRawFormatter.Linkage(linkage));
    }
}
