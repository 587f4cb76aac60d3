using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>Freeze and mmap of array maps (global data).</summary>
public sealed class MapMemoryTests
{
    public MapMemoryTests() => KernelAssert.RequireRoot();

    [Fact]
    public void Mmap_WritesAreSeenBySyscalls_AndBack()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 12, 10, "t_mmap", MapFlags.Mmapable);
        using var memory = map.MapMemory();
        Assert.Equal(Environment.SystemPageSize, memory.Length);
        memory.Get<ulong>(16 * 3) = 0x1122334455667788;        // element 3 (12 bytes rounded to 16)
        var raw = new byte[12];
        Assert.True(map.TryLookup(BitConverter.GetBytes(3u), raw));
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(raw));
        map.Update(BitConverter.GetBytes(5u), Enumerable.Repeat((byte)0xab, 12).ToArray());
        Assert.Equal(0xabababab, BitConverter.ToUInt32(memory.ReadOnlySpan[(16 * 5 + 8)..]));
        Assert.Equal("887766554433221100000000", MapDump.ById(map.Id)[MapDump.Hex(BitConverter.GetBytes(3u))]);
    }

    [Fact]
    public void Freeze_BlocksSyscallWrites_AndWritableMmap()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 4, 4, "t_freeze", MapFlags.Mmapable);
        map.Update(1u, 7u);
        map.Freeze();
        var e = Assert.Throws<UnauthorizedAccessException>(() => map.Update(1u, 8u));
        Assert.Equal(Errno.EPERM, Assert.IsType<BpfException>(e.InnerException).Errno);
        Assert.True(map.TryLookup(1u, out uint v));
        Assert.Equal(7u, v);
        Assert.Throws<UnauthorizedAccessException>(() => map.MapMemory(writable: true));
        using var ro = map.MapMemory(writable: false);
        Assert.Equal(7u, BitConverter.ToUInt32(ro.ReadOnlySpan[8..]));   // elements sit in 8-byte slots
        Assert.Throws<InvalidOperationException>(() => ro.Span.Length);
    }

    [Fact]
    public void Mmap_RefusedWithoutFlag()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 4, 4, "t_nommap");
        Assert.Throws<InvalidOperationException>(() => map.MapMemory());
    }

    [Fact]
    public void DisposedMemory_Throws()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 4, 4, "t_mmap_disp", MapFlags.Mmapable);
        var memory = map.MapMemory();
        memory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.ReadOnlySpan.Length);
    }
}
