namespace Ebpf.Asm;

/// <summary>What the source register field of a <c>call</c> means.</summary>
public enum CallSource : byte
{
    /// <summary>A helper function by its id (<c>call 5</c>).</summary>
    Helper = 0,
    /// <summary>BPF_PSEUDO_CALL: a local function; imm is the relative instruction offset.</summary>
    Local = 1,
    /// <summary>BPF_PSEUDO_KFUNC_CALL: a kernel function by BTF id; offset selects the module BTF.</summary>
    Kfunc = 2,
}
