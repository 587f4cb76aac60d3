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
        w.WriteString("name", type.IsAnonymous ? "(anon)" : type.Name);
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
                w.WriteNumber("vlen", c.Members.Count);
                w.WriteStartArray("members");
                foreach (BtfMember m in c.Members)
                {
                    w.WriteStartObject();
                    w.WriteString("name", m.Name.Length == 0 ? "(anon)" : m.Name);
                    w.WriteNumber("type_id", m.Type);
                    w.WriteNumber("bits_offset", m.BitOffset);
                    if (m.BitfieldSize != 0) w.WriteNumber("bitfield_size", m.BitfieldSize);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case BtfEnum e:
                w.WriteString("encoding", e.IsSigned ? "SIGNED" : "UNSIGNED");
                w.WriteNumber("size", e.Size);
                w.WriteNumber("vlen", e.Values.Count);
                w.WriteStartArray("values");
                foreach (BtfEnumValue v in e.Values)
                {
                    w.WriteStartObject();
                    w.WriteString("name", v.Name);
                    if (e.IsSigned) w.WriteNumber("val", e.Is64 ? v.Value : (int)v.Value);
                    // bpftool 7.1 sign-extends 32-bit values before printing them unsigned (so -5 shows as
                    // 18446744073709551611 in JSON but 4294967291 in raw text): its JSON is the contract, keep it.
                    else w.WriteNumber("val", e.Is64 ? (ulong)v.Value : (ulong)(long)(int)v.Value);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case BtfForward f:
                w.WriteString("fwd_kind", f.IsUnion ? "union" : "struct");
                break;
            case BtfFunc f:
                w.WriteNumber("type_id", f.Type);
                w.WriteString("linkage", BtfRawFormatter.Linkage(f.Linkage));
                break;
            case BtfVar v:
                w.WriteNumber("type_id", v.Type);
                w.WriteString("linkage", BtfRawFormatter.Linkage(v.Linkage));
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
                w.WriteNumber("vlen", p.Parameters.Count);
                w.WriteStartArray("params");
                foreach (BtfParameter param in p.Parameters)
                {
                    w.WriteStartObject();
                    w.WriteString("name", param.Name.Length == 0 ? "(anon)" : param.Name);
                    w.WriteNumber("type_id", param.Type);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case BtfDataSec d:
                w.WriteNumber("size", d.Size);
                w.WriteNumber("vlen", d.Variables.Count);
                w.WriteStartArray("vars");
                foreach (BtfVarSecInfo v in d.Variables)
                {
                    w.WriteStartObject();
                    w.WriteNumber("type_id", v.Type);
                    w.WriteNumber("offset", v.Offset);
                    w.WriteNumber("size", v.Size);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case BtfFloat f:
                w.WriteNumber("size", f.Size);
                break;
        }
        w.WriteEndObject();
    }

}
