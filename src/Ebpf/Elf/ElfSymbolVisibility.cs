namespace Ebpf.Elf;

/// <summary>The visibility of a symbol (low two bits of <c>st_other</c>).</summary>
public enum ElfSymbolVisibility : byte
{
    /// <summary>STV_DEFAULT.</summary>
    Default = 0,
    /// <summary>STV_INTERNAL.</summary>
    Internal = 1,
    /// <summary>STV_HIDDEN: libbpf treats hidden global functions as static (<c>__hidden</c>).</summary>
    Hidden = 2,
    /// <summary>STV_PROTECTED.</summary>
    Protected = 3,
}
