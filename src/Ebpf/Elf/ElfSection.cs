namespace Ebpf.Elf;

/// <summary>One section header of an <see cref="ElfFile"/> and the bytes it describes.</summary>
public sealed class ElfSection
{
    internal ElfSection(int index, string name, ElfSectionType type, ElfSectionFlags flags, ulong address, ulong offset,
        ulong size, uint link, uint info, ulong alignment, ulong entrySize, ReadOnlyMemory<byte> data)
    {
        Index = index;
        Name = name;
        Type = type;
        Flags = flags;
        Address = address;
        Offset = offset;
        Size = size;
        Link = link;
        Info = info;
        Alignment = alignment;
        EntrySize = entrySize;
        Data = data;
    }

    /// <summary>The index of the section header (symbols and relocations refer to sections by index).</summary>
    public int Index { get; }

    /// <summary>The name from the section header string table (<c>xdp</c>, <c>.text</c>, <c>.maps</c>, ...).</summary>
    public string Name { get; }

    /// <summary><c>sh_type</c>.</summary>
    public ElfSectionType Type { get; }

    /// <summary><c>sh_flags</c>.</summary>
    public ElfSectionFlags Flags { get; }

    /// <summary><c>sh_addr</c> (0 in relocatable objects).</summary>
    public ulong Address { get; }

    /// <summary><c>sh_offset</c>: where the section's bytes start in the file.</summary>
    public ulong Offset { get; }

    /// <summary><c>sh_size</c>: the size in bytes (for <see cref="ElfSectionType.NoBits"/> the size in memory).</summary>
    public ulong Size { get; }

    /// <summary><c>sh_link</c>: for symbol and relocation tables, the index of the associated table.</summary>
    public uint Link { get; }

    /// <summary><c>sh_info</c>: for relocation tables, the index of the section they patch.</summary>
    public uint Info { get; }

    /// <summary><c>sh_addralign</c>.</summary>
    public ulong Alignment { get; }

    /// <summary><c>sh_entsize</c>: the size of one entry of a table section, else 0.</summary>
    public ulong EntrySize { get; }

    /// <summary>The section's bytes in the file; empty for <see cref="ElfSectionType.NoBits"/> and <see cref="ElfSectionType.Null"/>.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether the section holds instructions (<see cref="ElfSectionFlags.ExecInstr"/>).</summary>
    public bool IsExecutable => (Flags & ElfSectionFlags.ExecInstr) != 0;

    /// <inheritdoc />
    public override string ToString() => $"[{Index}] {Name} ({Type}, {Size} bytes)";
}
