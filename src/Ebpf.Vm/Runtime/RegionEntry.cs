using System.Runtime.InteropServices;

namespace Ebpf.Vm.Runtime;

/// <summary>One slot of a run's region table: 16 bytes, so the table index is a shift.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct RegionEntry
{
    /// <summary>Host address of the region's first byte.</summary>
    public byte* Host;

    /// <summary>Bytes in the region; 0 for unmapped slots, so every access to them faults.</summary>
    public uint Length;

    /// <summary>What the program may do (a <see cref="VmMemoryAccess"/>).</summary>
    public byte Access;

    /// <summary>What the region holds (a <see cref="VmMemoryRegionKind"/>), for fault messages.</summary>
    public byte Kind;

    private readonly ushort _padding;
}
