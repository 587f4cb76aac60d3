namespace Ebpf.Elf;

/// <summary>The <c>sh_flags</c> of a section.</summary>
[Flags]
public enum ElfSectionFlags : ulong
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>SHF_WRITE: writable at run time (<c>.data</c>, <c>.bss</c>).</summary>
    Write = 0x1,
    /// <summary>SHF_ALLOC: occupies memory at run time.</summary>
    Alloc = 0x2,
    /// <summary>SHF_EXECINSTR: holds instructions (BPF programs and <c>.text</c>).</summary>
    ExecInstr = 0x4,
    /// <summary>SHF_MERGE.</summary>
    Merge = 0x10,
    /// <summary>SHF_STRINGS: holds NUL-terminated strings (<c>.rodata.str1.1</c>).</summary>
    Strings = 0x20,
    /// <summary>SHF_INFO_LINK: <c>sh_info</c> holds a section index.</summary>
    InfoLink = 0x40,
    /// <summary>SHF_GROUP.</summary>
    Group = 0x200,
    /// <summary>SHF_EXCLUDE (LLVM): not part of the linked image.</summary>
    Exclude = 0x80000000,
}
