namespace Ebpf.CoRe;

/// <summary>What a CO-RE relocation computes (libbpf's <c>struct bpf_core_relo_res</c>).</summary>
internal struct CoReResult
{
    public ulong OriginalValue;
    public ulong NewValue;
    public bool Poison;
    public bool Validate;
    public bool FailMemorySizeAdjust;
    public uint OriginalSize;
    public uint NewSize;
    public uint OriginalTypeId;
    public uint NewTypeId;
}
