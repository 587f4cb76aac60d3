using System.Net;
using System.Net.Sockets;
using Ebpf.Asm;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>The typed helpers of maps whose values name kernel objects, checked against bpftool's dumps.</summary>
public sealed class FdMapTests
{
    public FdMapTests() => KernelAssert.RequireRoot();

    [Fact]
    public void ProgArray_SetProgram_TryLookupId()
    {
        using var prog = TestPrograms.Return(ProgramType.SocketFilter, 0, "t_fd_tail");
        using var array = KernelMap.Create(MapType.ProgArray, 4, 4, 4, "t_fd_progs");
        array.SetProgram(3, prog);
        Assert.True(array.TryLookupId(3u, out uint id));
        Assert.Equal(prog.Id, id);
        Assert.False(array.TryLookupId(0u, out _));
        Assert.Equal(Hex(prog.Id), MapDump.ById(array.Id)[Hex(3u)]);
        using (KernelProgram reopened = KernelProgram.OpenById(id)) Assert.Equal("t_fd_tail", reopened.Name);
        Assert.True(array.Delete(3u));
        Assert.False(array.TryLookupId(3u, out _));
        var e = Assert.Throws<BpfException>(() => array.SetProgram(4, prog));
        Assert.Equal(Errno.E2BIG, e.Errno);
        using var hash = KernelMap.Create(MapType.Hash, 4, 4, 4, "t_fd_nothere");
        Assert.Contains("ProgArray", Assert.Throws<InvalidOperationException>(() => hash.SetProgram(0, prog)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MapType.ArrayOfMaps)]
    [InlineData(MapType.HashOfMaps)]
    public void MapOfMaps_SetInnerMap_TryLookupId(MapType type)
    {
        using var template = KernelMap.Create(MapType.Array, 4, 8, 2, "t_fd_tpl");
        using var inner = KernelMap.Create(MapType.Array, 4, 8, 2, "t_fd_inner");
        using var outer = KernelMap.Create(new MapCreateOptions { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 4, Name = "t_fd_outer", InnerMap = template });
        outer.SetInnerMap(1u, inner);
        Assert.True(outer.TryLookupId(1u, out uint id));
        Assert.Equal(inner.Id, id);
        Assert.Equal(Hex(inner.Id), MapDump.ById(outer.Id)[Hex(1u)]);
        using var wrong = KernelMap.Create(MapType.Array, 4, 4, 2, "t_fd_wrong");   // other value size
        Assert.Equal(Errno.EINVAL, Assert.Throws<BpfException>(() => outer.SetInnerMap(2u, wrong)).Errno);
    }

    [Theory]
    [InlineData(MapType.SockMap)]
    [InlineData(MapType.SockHash)]
    public void SockMaps_SetSocket_ReadsBackTheCookie(MapType type)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var map = KernelMap.Create(type, 4, 8, 4, "t_fd_sock");
        map.SetSocket(2u, socket.SafeHandle);
        Assert.True(map.TryLookup(2u, out ulong cookie));
        var expected = new byte[8];
        socket.GetRawSocketOption(1, 57, expected);   // SOL_SOCKET, SO_COOKIE
        Assert.Equal(BitConverter.ToUInt64(expected), cookie);
        Assert.Equal(Convert.ToHexStringLower(expected), MapDump.ById(map.Id)[Hex(2u)]);
    }

    [Theory]
    [InlineData(MapType.DevMap)]
    [InlineData(MapType.DevMapHash)]
    public void DevMap_SetDevice_WithAProgram(MapType type)
    {
        using var map = KernelMap.Create(type, 4, 8, 4, "t_fd_devmap");
        using var prog = XdpProgram(AttachType.XdpDevMap, "t_fd_devprog");
        map.SetDevice(1u, 1, prog);        // lo; a reference on the device, no change to it
        map.SetDevice(2u, 1);               // no program
        Assert.Equal(Hex(1u) + Hex(prog.Id), MapDump.ById(map.Id)[Hex(1u)]);
        Assert.Equal(Hex(1u) + Hex(0u), MapDump.ById(map.Id)[Hex(2u)]);
        using var narrow = KernelMap.Create(type, 4, 4, 4, "t_fd_devmap4");
        Assert.Throws<ArgumentException>(() => narrow.SetDevice(1u, 1, prog));
        narrow.SetDevice(1u, 1);
        Assert.Equal(Hex(1u), MapDump.ById(narrow.Id)[Hex(1u)]);
        using var plain = TestPrograms.Return(ProgramType.Xdp, 2, "t_fd_plainxdp");   // not a devmap program
        Assert.Equal(Errno.EINVAL, Assert.Throws<BpfException>(() => map.SetDevice(3u, 1, plain)).Errno);
    }

    [Fact]
    public void CpuMap_SetCpu_WithAProgram()
    {
        using var map = KernelMap.Create(MapType.CpuMap, 4, 8, PossibleCpus.Count, "t_fd_cpumap");
        using var prog = XdpProgram(AttachType.XdpCpuMap, "t_fd_cpuprog");
        map.SetCpu(0, 192, prog);
        Assert.Equal(Hex(192u) + Hex(prog.Id), MapDump.ById(map.Id)[Hex(0u)]);
        map.SetCpu(0, 64);
        Assert.Equal(Hex(64u) + Hex(0u), MapDump.ById(map.Id)[Hex(0u)]);
        Assert.True(map.Delete(0u));
    }

    private static KernelProgram XdpProgram(AttachType attachType, string name) => ProgramLoader.Load(new ProgramLoadOptions
    {
        Type = ProgramType.Xdp, Name = name, ExpectedAttachType = attachType,
        Instructions = new[] { Instruction.Mov(Register.R0, 2), Instruction.Exit() },
    });

    private static string Hex(uint value) => MapDump.Hex(BitConverter.GetBytes(value));
}
