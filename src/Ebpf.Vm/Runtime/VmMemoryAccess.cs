namespace Ebpf.Vm;

/// <summary>What a program may do with a memory region.</summary>
[Flags]
public enum VmMemoryAccess
{
    /// <summary>Nothing: every access faults.</summary>
    None = 0,
    /// <summary>Loads.</summary>
    Read = 1,
    /// <summary>Stores and atomics (atomics need <see cref="ReadWrite"/>).</summary>
    Write = 2,
    /// <summary>Loads, stores and atomics.</summary>
    ReadWrite = Read | Write,
}
