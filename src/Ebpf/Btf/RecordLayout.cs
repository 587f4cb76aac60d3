using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ebpf.Btf;

/// <summary>One C# field matched to a BTF struct member.</summary>
/// <param name="ClrName">The C# field's name.</param>
/// <param name="BtfName">The BTF member's name.</param>
/// <param name="Offset">The byte offset (equal on both sides).</param>
/// <param name="Size">The size in bytes (equal on both sides).</param>
public readonly record struct RecordField(string ClrName, string BtfName, int Offset, int Size);

/// <summary>
/// The checked correspondence between a BTF struct (an event record as the BPF program declares it) and an unmanaged
/// C# struct: created once at start-up, it guarantees that reading records as <typeparamref name="T"/> gives the
/// program's fields, not garbage. Fields match by name (exact, else ignoring case and underscores: <c>Pid</c> =
/// <c>pid</c>, <c>TimestampNs</c> = <c>timestamp_ns</c>); sizes and offsets must be equal.
/// </summary>
/// <typeparam name="T">The C# record type (sequential or [FieldOffset] layout).</typeparam>
public sealed class RecordLayout<T> where T : unmanaged
{
    private RecordLayout(string structName, int size, IReadOnlyList<RecordField> fields) => (StructName, Size, Fields) = (structName, size, fields);

    /// <summary>The BTF struct's name.</summary>
    public string StructName { get; }

    /// <summary>The record's size in bytes.</summary>
    public int Size { get; }

    /// <summary>The matched fields, in C# declaration order.</summary>
    public IReadOnlyList<RecordField> Fields { get; }

    /// <summary>Checks <typeparamref name="T"/> against the struct named <paramref name="structName"/> in <paramref name="btf"/>.</summary>
    /// <exception cref="KeyNotFoundException">The BTF has no such struct.</exception>
    /// <exception cref="RecordLayoutMismatchException">A size, an offset or a member differs.</exception>
    public static RecordLayout<T> FromStruct(BtfSpec btf, string structName)
    {
        ArgumentNullException.ThrowIfNull(btf);
        ArgumentException.ThrowIfNullOrEmpty(structName);
        return FromType(btf, btf.TryFind(structName, BtfKind.Struct, out uint id) ? id
            : throw new KeyNotFoundException($"BTF has no struct named '{structName}' (for {typeof(T).Name})"));
    }

    /// <summary>Checks <typeparamref name="T"/> against BTF type <paramref name="typeId"/> (a map's value type id, say).</summary>
    /// <exception cref="ArgumentException">The type is not a struct.</exception>
    /// <exception cref="RecordLayoutMismatchException">A size, an offset or a member differs.</exception>
    public static RecordLayout<T> FromType(BtfSpec btf, uint typeId)
    {
        ArgumentNullException.ThrowIfNull(btf);
        if (btf[btf.SkipModifiersAndTypedefs(typeId)] is not BtfStruct s)
            throw new ArgumentException($"BTF type {typeId} is a {btf[btf.SkipModifiersAndTypedefs(typeId)].Kind}, not a struct: it cannot be mapped to {typeof(T).Name}", nameof(typeId));
        string name = s.Name.Length > 0 ? s.Name : $"(anonymous, type {typeId})";
        int clrSize = Unsafe.SizeOf<T>();
        if (clrSize != s.Size) throw new RecordLayoutMismatchException(name, typeof(T), "size", s.Size, clrSize, "the record size");
        var fields = new List<RecordField>();
        foreach (FieldInfo f in typeof(T).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            string clrName = f.Name.StartsWith('<') ? f.Name[1..f.Name.IndexOf('>', StringComparison.Ordinal)] : f.Name;   // auto-properties
            BtfMember member = FindMember(s, clrName) ?? throw new RecordLayoutMismatchException(name, typeof(T), clrName,
                $"no member of that name (members: {string.Join(", ", s.Members.Select(m => m.Name))})");
            if (member.BitfieldSize != 0 || member.BitOffset % 8 != 0)
                throw new RecordLayoutMismatchException(name, typeof(T), clrName, $"member '{member.Name}' is a bitfield: read the containing integer instead");
            int btfOffset = (int)(member.BitOffset / 8), clrOffset = (int)Marshal.OffsetOf<T>(f.Name);
            if (btfOffset != clrOffset)
                throw new RecordLayoutMismatchException(name, typeof(T), clrName, btfOffset, clrOffset, $"the offset of '{member.Name}'");
            int btfSize = (int)btf.SizeOf(member.Type), clrFieldSize = RuntimeHelpers.SizeOf(f.FieldType.TypeHandle);
            if (btfSize != clrFieldSize)
                throw new RecordLayoutMismatchException(name, typeof(T), clrName, btfSize, clrFieldSize, $"the size of '{member.Name}'");
            fields.Add(new RecordField(clrName, member.Name, clrOffset, clrFieldSize));
        }
        return new RecordLayout<T>(name, clrSize, fields);
    }

    /// <summary>Reads a record (copying it), checking that it holds at least <see cref="Size"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The record is shorter.</exception>
    public T Read(ReadOnlySpan<byte> record) =>
        record.Length >= Size ? MemoryMarshal.Read<T>(record)
            : throw new InvalidDataException($"a {record.Length}-byte record is too short for struct {StructName} ({Size} bytes)");

    private static BtfMember? FindMember(BtfStruct s, string clrName)
    {
        foreach (BtfMember m in s.Members)
            if (m.Name == clrName) return m;
        string folded = Fold(clrName);
        foreach (BtfMember m in s.Members)
            if (Fold(m.Name) == folded) return m;
        return null;
    }

    private static string Fold(string name) => name.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
}
