namespace Ebpf.Elf;

/// <summary>The relocation types of the BPF ELF ABI (<c>ELF64_R_TYPE</c> of a relocation for <c>EM_BPF</c>).</summary>
public enum BpfRelocationType : uint
{
    /// <summary>R_BPF_NONE.</summary>
    None = 0,
    /// <summary>R_BPF_64_64: the 64-bit immediate of a <c>lddw</c> (map references, global data addresses).</summary>
    Imm64 = 1,
    /// <summary>R_BPF_64_ABS64: a 64-bit data word (DWARF, <c>.maps</c> values of map-in-map).</summary>
    Abs64 = 2,
    /// <summary>R_BPF_64_ABS32: a 32-bit data word (DWARF, <c>.BTF.ext</c>).</summary>
    Abs32 = 3,
    /// <summary>R_BPF_64_NODYLD32: a 32-bit word the dynamic loader leaves alone (<c>.BTF</c>, <c>.BTF.ext</c>).</summary>
    NoDyld32 = 4,
    /// <summary>R_BPF_64_32: the 32-bit immediate of a <c>call</c> of a local function.</summary>
    Imm32 = 10,
}
