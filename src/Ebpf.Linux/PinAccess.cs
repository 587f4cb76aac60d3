namespace Ebpf.Linux;

/// <summary>The access an fd opened from a pin grants (BPF_OBJ_GET's <c>file_flags</c>).</summary>
public enum PinAccess
{
    /// <summary>Read and write.</summary>
    ReadWrite = 0,
    /// <summary>BPF_F_RDONLY: lookups only (maps).</summary>
    ReadOnly = 1 << 3,
    /// <summary>BPF_F_WRONLY: updates only (maps).</summary>
    WriteOnly = 1 << 4,
}
