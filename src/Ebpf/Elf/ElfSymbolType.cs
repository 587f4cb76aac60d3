namespace Ebpf.Elf;

/// <summary>The type of a symbol (low nibble of <c>st_info</c>).</summary>
public enum ElfSymbolType : byte
{
    /// <summary>STT_NOTYPE: a label (jump targets <c>LBB0_1</c>) or an extern.</summary>
    NoType = 0,
    /// <summary>STT_OBJECT: data (maps, global variables).</summary>
    Object = 1,
    /// <summary>STT_FUNC: a program or a subprogram.</summary>
    Function = 2,
    /// <summary>STT_SECTION: stands for a section (targets of relocations into <c>.data</c>, <c>.rodata</c>).</summary>
    Section = 3,
    /// <summary>STT_FILE: the source file name.</summary>
    File = 4,
}
