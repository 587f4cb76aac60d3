namespace Ebpf.Elf;

/// <summary>The binding of a symbol (high nibble of <c>st_info</c>).</summary>
public enum ElfSymbolBinding : byte
{
    /// <summary>STB_LOCAL: visible in this object only (static functions, labels, section symbols).</summary>
    Local = 0,
    /// <summary>STB_GLOBAL: visible to other objects (programs, global functions, maps).</summary>
    Global = 1,
    /// <summary>STB_WEAK: global, may be overridden (<c>__weak</c> functions and <c>__ksym __weak</c>).</summary>
    Weak = 2,
}
