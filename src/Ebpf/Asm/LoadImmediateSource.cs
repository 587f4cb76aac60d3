namespace Ebpf.Asm;

/// <summary>
/// What the source register field of a <c>lddw</c> means: how the loader interprets the 64-bit immediate.
/// </summary>
public enum LoadImmediateSource : byte
{
    /// <summary>A plain 64-bit constant.</summary>
    Imm64 = 0,
    /// <summary>BPF_PSEUDO_MAP_FD: imm is a map file descriptor; the register gets the map address.</summary>
    MapFd = 1,
    /// <summary>BPF_PSEUDO_MAP_VALUE: imm is a map fd, next imm an offset into its value (global data).</summary>
    MapValue = 2,
    /// <summary>BPF_PSEUDO_BTF_ID: imm is a kernel BTF id of a variable (ksym).</summary>
    BtfId = 3,
    /// <summary>BPF_PSEUDO_FUNC: imm is the relative offset of a function (callbacks).</summary>
    Func = 4,
    /// <summary>BPF_PSEUDO_MAP_IDX: imm is an index into the fd array passed at load.</summary>
    MapIndex = 5,
    /// <summary>BPF_PSEUDO_MAP_IDX_VALUE: map by index into the fd array, next imm an offset.</summary>
    MapIndexValue = 6,
}
