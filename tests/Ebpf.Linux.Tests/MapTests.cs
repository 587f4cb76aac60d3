using System.Runtime.InteropServices;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>The keyed map types: create, fill, read back, iterate, delete, each checked against bpftool's dump.</summary>
public sealed class MapTests
{
    public MapTests() => KernelAssert.RequireRoot();

    [StructLayout(LayoutKind.Sequential)]
    private struct LpmKey
    {
        public uint PrefixLength;
        public uint Address;   // network order in real use; any 4 bytes here
    }

    [Theory]
    [InlineData(MapType.Hash)]
    [InlineData(MapType.LruHash)]
    [InlineData(MapType.Array)]
    public void Keyed_FillReadIterateDelete_MatchesBpftool(MapType type)
    {
        const int entries = 64;
        using var map = KernelAssert.RunOrSkip(() => KernelMap.Create(type, 4, 8, LruRoom.Capacity(type, entries), "t_" + type.ToString().ToLowerInvariant()));
        for (uint k = 0; k < entries; k++)
            map.Update(k, (ulong)k * 1000 + 7);

        for (uint k = 0; k < entries; k++)
        {
            Assert.True(map.TryLookup(k, out ulong v));
            Assert.Equal((ulong)k * 1000 + 7, v);
        }
        Assert.False(map.TryLookup(entries + 5u, out ulong _));

        var keys = new List<uint>();
        foreach (uint k in map.Keys<uint>()) keys.Add(k);
        Assert.Equal(Enumerable.Range(0, entries).Select(i => (uint)i).Order(), keys.Order());

        var dump = MapDump.ById(map.Id);
        Assert.Equal(entries, dump.Count);
        foreach (uint k in keys)
            Assert.Equal(MapDump.Hex(BitConverter.GetBytes((ulong)k * 1000 + 7)), dump[MapDump.Hex(BitConverter.GetBytes(k))]);

        if (type == MapType.Array)
        {
            // Array elements always exist: delete is refused, a key past the end is an error.
            var e = Assert.Throws<BpfException>(() => map.Delete(3u));
            Assert.Equal(Errno.EINVAL, e.Errno);
            Assert.Contains("t_array", e.Message, StringComparison.Ordinal);
            var big = Assert.Throws<BpfException>(() => map.Update((uint)entries, 1UL));
            Assert.Equal(Errno.E2BIG, big.Errno);
            return;
        }
        for (uint k = 0; k < entries; k += 2) Assert.True(map.Delete(k));
        Assert.False(map.Delete(0u));
        Assert.Equal(entries / 2, map.Keys<uint>().Count());
        Assert.Equal(entries / 2, MapDump.ById(map.Id).Count);
        // Lookup-and-delete on hash maps came in Linux 5.14 (queues and stacks had it first): older kernels say so.
        bool lookedUp;
        ulong one = 0;
        try
        {
            lookedUp = map.TryLookupAndDelete(1u, out one);
        }
        catch (KernelFeatureMissingException e) when (!e.ShouldExistOn(KernelAssert.KernelRelease))
        {
            Assert.Skip($"the rest needs lookup-and-delete on {type} maps (Linux 5.14+): {e.Message}");
            throw;
        }
        Assert.True(lookedUp);
        Assert.Equal(1007UL, one);
        Assert.False(map.TryLookup(1u, out ulong _));
    }

    [Fact]
    public void UpdateFlags_NoExistAndExist_AreEnforced()
    {
        using var map = KernelMap.Create(MapType.Hash, 4, 4, 4, "t_flags");
        map.Update(1u, 10u, MapUpdateFlags.NoExist);
        var exists = Assert.Throws<BpfException>(() => map.Update(1u, 11u, MapUpdateFlags.NoExist));
        Assert.Equal(Errno.EEXIST, exists.Errno);
        Assert.Contains("update in map 't_flags'", exists.Message, StringComparison.Ordinal);
        map.Update(1u, 12u, MapUpdateFlags.Exist);
        var absent = Assert.Throws<BpfException>(() => map.Update(2u, 1u, MapUpdateFlags.Exist));
        Assert.Equal(Errno.ENOENT, absent.Errno);
        Assert.True(map.TryLookup(1u, out uint v));
        Assert.Equal(12u, v);
    }

    [Fact]
    public void Full_Hash_ReportsE2BIG()
    {
        using var map = KernelMap.Create(MapType.Hash, 4, 4, 2, "t_full");
        map.Update(1u, 1u);
        map.Update(2u, 2u);
        var e = Assert.Throws<BpfException>(() => map.Update(3u, 3u));
        Assert.Equal(Errno.E2BIG, e.Errno);
    }

    [Fact]
    public void RawBytes_RoundTrip_AndSizesAreChecked()
    {
        using var map = KernelMap.Create(MapType.Hash, 6, 3, 8, "t_raw");
        byte[] key = [1, 2, 3, 4, 5, 6], value = [7, 8, 9];
        map.Update(key, value);
        var read = new byte[3];
        Assert.True(map.TryLookup(key, read));
        Assert.Equal(value, read);
        Assert.Equal([key], map.RawKeys().ToList());
        Assert.Equal(MapDump.Hex(value), MapDump.ById(map.Id)[MapDump.Hex(key)]);
        Assert.Throws<ArgumentException>(() => map.TryLookup(new byte[5], read));
        Assert.Throws<ArgumentException>(() => map.TryLookup(key, new byte[2]));
        Assert.Throws<ArgumentException>(() => map.Update(1u, 1u));   // 4-byte key into a 6-byte-key map
    }

    [Fact]
    public void LpmTrie_LongestPrefixWins_AndIterates()
    {
        using var map = KernelAssert.RunOrSkip(() => KernelMap.Create(new MapCreateOptions
        {
            Type = MapType.LpmTrie, KeySize = 8, ValueSize = 4, MaxEntries = 16, Name = "t_lpm", Flags = MapFlags.NoPrealloc,
        }));
        map.Update(new LpmKey { PrefixLength = 8, Address = 0x0000000a }, 8u);     // 10.0.0.0/8 (bytes 0a 00 00 00)
        map.Update(new LpmKey { PrefixLength = 24, Address = 0x0001000a }, 24u);   // 10.0.1.0/24
        Assert.True(map.TryLookup(new LpmKey { PrefixLength = 32, Address = 0x0501000a }, out uint v));
        Assert.Equal(24u, v);
        Assert.True(map.TryLookup(new LpmKey { PrefixLength = 32, Address = 0x0502000a }, out v));
        Assert.Equal(8u, v);
        Assert.Equal(2, map.Keys<LpmKey>().Count());
        Assert.Equal(2, MapDump.ById(map.Id).Count);
        Assert.True(map.Delete(new LpmKey { PrefixLength = 24, Address = 0x0001000a }));
        Assert.True(map.TryLookup(new LpmKey { PrefixLength = 32, Address = 0x0501000a }, out v));
        Assert.Equal(8u, v);
    }

    [Fact]
    public void TypedView_IsAnIMap()
    {
        using var map = KernelMap.Create(MapType.Hash, 4, 8, 8, "t_view").As<uint, ulong>();
        IMap<uint, ulong> imap = map;
        imap.Update(5, 50);
        Assert.Equal(50UL, imap.Lookup(5));
        Assert.Equal([5u], imap.Keys.ToList());
        Assert.Throws<KeyNotFoundException>(() => imap.Lookup(6));
        Assert.True(imap.Delete(5));
        Assert.Throws<ArgumentException>(() => map.Map.As<ulong, ulong>());
    }

    [Fact]
    public void CreateErrors_NameTheMap()
    {
        var e = Assert.Throws<BpfException>(() => KernelMap.Create(MapType.Hash, 0, 4, 1, "t_bad"));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("create map 't_bad' (Hash)", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => KernelMap.Create(MapType.Hash, 4, 4, 1, "bad-name"));
        var missing = Assert.Throws<KernelFeatureMissingException>(() => KernelMap.Create((MapType)999, 4, 4, 1, "t_missing"));
        Assert.Contains("999", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_IsCutTo15Characters()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 4, 1, "a_very_long_map_name_indeed");
        Assert.Equal("a_very_long_map", map.Name);
        Assert.Equal("a_very_long_map", map.Info().Name);
    }
}
