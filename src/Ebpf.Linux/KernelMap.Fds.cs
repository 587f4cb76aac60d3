using System.Runtime.InteropServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

// Maps whose values name kernel objects: the syscall side writes an fd (or an ifindex/queue size plus a program fd)
// and reads back an id (or a socket cookie). These helpers hold a lease on the object while its fd number is in the
// value, so it cannot be closed and reused by another thread in between.
public sealed partial class KernelMap
{
    /// <summary>Stores <paramref name="program"/> at <paramref name="index"/> of a program array (BPF_MAP_TYPE_PROG_ARRAY), for tail calls.</summary>
    /// <exception cref="InvalidOperationException">The map is not a program array.</exception>
    /// <exception cref="BpfException">EINVAL: the program's type differs from the array's other programs; E2BIG: index out of range.</exception>
    public void SetProgram(uint index, KernelProgram program, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ArgumentNullException.ThrowIfNull(program);
        RequireType("SetProgram", MapType.ProgArray);
        SetFd(index, program.Handle, flags);
    }

    /// <summary>Stores <paramref name="inner"/> under <paramref name="key"/> of an array or hash of maps.</summary>
    /// <exception cref="InvalidOperationException">The map is not a map of maps.</exception>
    /// <exception cref="BpfException">EINVAL: <paramref name="inner"/> does not match the inner map the outer one was created with.</exception>
    public void SetInnerMap<TKey>(in TKey key, KernelMap inner, MapUpdateFlags flags = MapUpdateFlags.Any) where TKey : unmanaged
    {
        ArgumentNullException.ThrowIfNull(inner);
        RequireType("SetInnerMap", MapType.ArrayOfMaps, MapType.HashOfMaps);
        SetFd(key, inner.Handle, flags);
    }

    /// <summary>
    /// Stores a socket under <paramref name="key"/> of a sockmap, sockhash or reuseport socket array (the value is its
    /// fd; reading it back gives the socket's cookie).
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="socket">The socket's handle (<c>Socket.SafeHandle</c>).</param>
    /// <param name="flags">Whether the element may or must exist.</param>
    /// <exception cref="InvalidOperationException">The map does not hold sockets.</exception>
    /// <exception cref="BpfException">EOPNOTSUPP: a socket of a kind or state the map refuses.</exception>
    public void SetSocket<TKey>(in TKey key, SafeHandle socket, MapUpdateFlags flags = MapUpdateFlags.Any) where TKey : unmanaged
    {
        ArgumentNullException.ThrowIfNull(socket);
        RequireType("SetSocket", MapType.SockMap, MapType.SockHash, MapType.ReuseportSockarray);
        SetFd(key, socket, flags);
    }

    /// <summary>
    /// Redirects slot <paramref name="key"/> of a device map to interface <paramref name="ifindex"/>, optionally
    /// running <paramref name="program"/> (an XDP program loaded with <see cref="AttachType.XdpDevMap"/>) on each
    /// redirected frame (struct bpf_devmap_val; the map's value must be 8 bytes for a program, Linux 5.8+).
    /// </summary>
    /// <exception cref="InvalidOperationException">The map is not a device map.</exception>
    /// <exception cref="ArgumentException">A program for a map with 4-byte values.</exception>
    /// <exception cref="BpfException">EINVAL: no such interface, or the program is not a devmap XDP program.</exception>
    public void SetDevice<TKey>(in TKey key, int ifindex, KernelProgram? program = null, MapUpdateFlags flags = MapUpdateFlags.Any)
        where TKey : unmanaged
    {
        RequireType("SetDevice", MapType.DevMap, MapType.DevMapHash);
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        SetPair(key, (uint)ifindex, program, flags, "bpf_devmap_val");
    }

    /// <summary>
    /// Enables CPU <paramref name="cpu"/> of a CPU map with a queue of <paramref name="queueSize"/> frames, optionally
    /// running <paramref name="program"/> (an XDP program loaded with <see cref="AttachType.XdpCpuMap"/>) on that CPU
    /// (struct bpf_cpumap_val; the map's value must be 8 bytes for a program, Linux 5.9+).
    /// </summary>
    /// <exception cref="InvalidOperationException">The map is not a CPU map.</exception>
    /// <exception cref="ArgumentException">A program for a map with 4-byte values.</exception>
    /// <exception cref="BpfException">EINVAL: a bad queue size or program; ENODEV: the CPU is not possible.</exception>
    public void SetCpu(uint cpu, int queueSize, KernelProgram? program = null, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        RequireType("SetCpu", MapType.CpuMap);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueSize, 1);
        SetPair(cpu, (uint)queueSize, program, flags, "bpf_cpumap_val");
    }

    /// <summary>
    /// The id of the object stored under <paramref name="key"/> of a program array or map of maps (what a lookup
    /// returns for them); false when the slot is empty. Open it with <see cref="KernelProgram.OpenById"/> or
    /// <see cref="OpenById"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The map does not hold programs or maps.</exception>
    public unsafe bool TryLookupId<TKey>(in TKey key, out uint id) where TKey : unmanaged
    {
        RequireType("TryLookupId", MapType.ProgArray, MapType.ArrayOfMaps, MapType.HashOfMaps);
        CheckKeyType<TKey>();
        uint value = 0;
        bool found;
        fixed (TKey* k = &key)
            found = ElementOp(BpfCommand.MapLookupElem, k, &value, 0, "lookup in map");
        id = found ? value : 0;
        return found;
    }

    private unsafe void SetFd<TKey>(in TKey key, SafeHandle handle, MapUpdateFlags flags) where TKey : unmanaged
    {
        CheckKeyType<TKey>();
        if (ValueSize is not (4 or 8))
            throw new InvalidOperationException($"map {Describe()} has {ValueSize}-byte values; an fd takes 4 or 8");
        using var lease = new FdLease(handle, out uint fd);
        ulong value = fd;   // a little-endian u64 starts with the same 4 bytes as the u32
        fixed (TKey* k = &key)
            ThrowUnlessFound(ElementOp(BpfCommand.MapUpdateElem, k, &value, (ulong)flags, "update in map"), "update in map");
    }

    private unsafe void SetPair<TKey>(in TKey key, uint first, KernelProgram? program, MapUpdateFlags flags, string layout) where TKey : unmanaged
    {
        CheckKeyType<TKey>();
        if (program is not null && ValueSize != 8)
            throw new ArgumentException($"map {Describe()} has {ValueSize}-byte values: a program needs 8 ({layout} with bpf_prog.fd)", nameof(program));
        if (ValueSize is not (4 or 8))
            throw new InvalidOperationException($"map {Describe()} has {ValueSize}-byte values; {layout} is 4 or 8");
        uint* value = stackalloc uint[2];
        value[0] = first;
        value[1] = 0;   // bpf_prog.fd: the kernel runs a program only for fd > 0
        using var lease = FdLease.Optional(program?.Handle, out value[1]);
        fixed (TKey* k = &key)
            ThrowUnlessFound(ElementOp(BpfCommand.MapUpdateElem, k, value, (ulong)flags, "update in map"), "update in map");
    }

    private void RequireType(string operation, params ReadOnlySpan<MapType> types)
    {
        foreach (MapType t in types)
            if (t == Type) return;
        throw new InvalidOperationException($"{operation} needs a map of type {string.Join(" or ", types.ToArray())}; map {Describe()} is {Type}");
    }
}
