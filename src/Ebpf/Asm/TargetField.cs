namespace Ebpf.Asm;

/// <summary>Which field of an instruction a resolved jump target goes into.</summary>
internal enum TargetField
{
    /// <summary>The 16-bit offset (jumps).</summary>
    Offset,
    /// <summary>The 32-bit immediate (ja32, local calls, lddw func).</summary>
    Immediate,
}
