using System.Text;
using Ebpf.Asm;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Features;

// The probes behind KernelFeatures. Each creates a throwaway object straight through Interop (not through KernelMap or
// ProgramLoader, whose error paths consult these probes) and closes it. EPERM and ENOMEM say nothing about the kernel's
// abilities, only about ours: Inconclusive.
internal static unsafe partial class Probes
{
    internal static ProbeResult MapType(MapType type)
    {
        Libc.TryRaiseMemlockLimit();
        uint key = 4, value = 4, max = 1, flags = 0, vmlinuxValueType = 0;
        bool needsBtf = false;
        Errno expectedForPresent = Errno.None;
        switch (type)
        {
            case Ebpf.MapType.LpmTrie: key = 8; value = 8; flags = (uint)MapFlags.NoPrealloc; break;
            case Ebpf.MapType.StackTrace: value = 8; break;
            case Ebpf.MapType.CgroupStorage or Ebpf.MapType.PerCpuCgroupStorage: key = 16; value = 8; max = 0; break;
            case Ebpf.MapType.Queue or Ebpf.MapType.Stack or Ebpf.MapType.BloomFilter: key = 0; break;
            case Ebpf.MapType.RingBuffer or Ebpf.MapType.UserRingBuffer: key = 0; value = 0; max = (uint)Environment.SystemPageSize; break;
            case Ebpf.MapType.Arena: key = 0; value = 0; max = 1; flags = (uint)MapFlags.Mmapable; break;
            case Ebpf.MapType.SkStorage or Ebpf.MapType.InodeStorage or Ebpf.MapType.TaskStorage or Ebpf.MapType.CgrpStorage:
                needsBtf = true; max = 0; flags = (uint)MapFlags.NoPrealloc; break;
            case Ebpf.MapType.StructOps:
                // A bogus vmlinux type id: a kernel with struct_ops answers ENOTSUPP ("not a struct_ops type").
                value = 256; vmlinuxValueType = 1; expectedForPresent = Errno.ENOTSUPP; break;
        }
        SafeBpfHandle? inner = null, btf = null;
        try
        {
            if (type is Ebpf.MapType.ArrayOfMaps or Ebpf.MapType.HashOfMaps)
            {
                var innerAttr = new MapCreateAttr { MapType = (uint)Ebpf.MapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1 };
                int fd = Bpf.Invoke(BpfCommand.MapCreate, ref innerAttr);
                if (fd < 0) return Inconclusive(fd);
                inner = SafeBpfHandle.FromKernel(fd);
            }
            if (needsBtf)
            {
                btf = ProbeBtf.TryLoad(ProbeBtf.IntOnly(), out _);
                if (btf is null) return ProbeResult.Inconclusive;
            }
            var attr = new MapCreateAttr
            {
                MapType = (uint)type, KeySize = key, ValueSize = value, MaxEntries = max, MapFlags = flags,
                BtfVmlinuxValueTypeId = vmlinuxValueType, BtfKeyTypeId = needsBtf ? 1u : 0, BtfValueTypeId = needsBtf ? 1u : 0,
            };
            using var i = FdLease.Optional(inner, out attr.InnerMapFd);
            using var b = FdLease.Optional(btf, out attr.BtfFd);
            int r = Bpf.Invoke(BpfCommand.MapCreate, ref attr);
            if (r >= 0) { Libc.Close(r); return ProbeResult.Present; }
            if (expectedForPresent != Errno.None && -r == (int)expectedForPresent) return ProbeResult.Present;
            return -r is (int)Errno.EINVAL or (int)Errno.E2BIG or (int)Errno.EOPNOTSUPP or (int)Errno.ENOTSUPP ? ProbeResult.Missing : Inconclusive(r);
        }
        finally
        {
            inner?.Dispose();
            btf?.Dispose();
        }
    }

    internal static ProbeResult ProgramType(ProgramType type) => Load(type, [Instruction.Mov(Register.R0, 0), Instruction.Exit()], out _);

    /// <summary>Loads a program calling <paramref name="helper"/>: the verifier checks the helper id before its arguments.</summary>
    internal static ProbeResult Helper(ProgramType type, int helper)
    {
        ProbeResult r = Load(type, [Instruction.CallHelper(helper), Instruction.Exit()], out string log);
        if (r != ProbeResult.Missing) return r;
        if (log.Length == 0) return ProbeResult.Missing;            // the program type itself is missing
        return log.Contains("invalid func ", StringComparison.Ordinal) || log.Contains("unknown func ", StringComparison.Ordinal)
            || log.Contains("cannot use helper", StringComparison.Ordinal) || log.Contains("not supported", StringComparison.Ordinal)
            ? ProbeResult.Missing : ProbeResult.Present;   // rejected for its arguments: the helper exists
    }

    /// <summary>
    /// Loads a trivial program. Present when it loads, or when the verifier ran and complained about the (deliberately
    /// incomplete) attach target of tracing-like types: an unknown type is refused with EINVAL before any log is written.
    /// </summary>
    private static ProbeResult Load(ProgramType type, Instruction[] insns, out string log)
    {
        Libc.TryRaiseMemlockLimit();
        uint expected = type switch
        {
            Ebpf.ProgramType.CgroupSockAddr => (uint)AttachType.CgroupInet4Connect,
            Ebpf.ProgramType.CgroupSockopt => (uint)AttachType.CgroupGetsockopt,
            Ebpf.ProgramType.SkLookup => (uint)AttachType.SkLookup,
            Ebpf.ProgramType.Netfilter => (uint)AttachType.Netfilter,
            Ebpf.ProgramType.LircMode2 => (uint)AttachType.LircMode2,
            Ebpf.ProgramType.Tracing => (uint)AttachType.TraceFentry,
            Ebpf.ProgramType.Lsm => (uint)AttachType.LsmMac,
            _ => 0,
        };
        bool verifierFirst = type is Ebpf.ProgramType.Tracing or Ebpf.ProgramType.Lsm or Ebpf.ProgramType.Ext or Ebpf.ProgramType.StructOps;
        byte[] buffer = new byte[16 * 1024];
        byte[] license = "GPL\0"u8.ToArray();
        fixed (Instruction* pi = insns)
        fixed (byte* pl = license, pb = buffer)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = (uint)type, InsnCnt = (uint)insns.Length, Insns = Bpf.Ptr(pi), License = Bpf.Ptr(pl),
                LogLevel = 1, LogSize = (uint)buffer.Length, LogBuf = Bpf.Ptr(pb), ExpectedAttachType = expected,
                // Tracing-like types need an attach target before the verifier runs: type 1 of vmlinux is never a
                // valid one, so a kernel that knows the type says so in the log.
                AttachBtfId = verifierFirst ? 1u : 0,
                ProgFlags = type == Ebpf.ProgramType.Syscall ? (uint)ProgramLoadFlags.Sleepable : 0,
            };
            int r = Bpf.Invoke(BpfCommand.ProgLoad, ref attr);
            int end = Array.IndexOf(buffer, (byte)0);
            log = Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
            if (r >= 0) { Libc.Close(r); return ProbeResult.Present; }
            if (-r is (int)Errno.EPERM or (int)Errno.ENOMEM) return ProbeResult.Inconclusive;
            if (verifierFirst && log.Length > 0) return ProbeResult.Present;
            return ProbeResult.Missing;
        }
    }

    private static byte[]? s_vmlinuxStrings;

    /// <summary>
    /// Whether the running kernel's BTF names an enumerator (BPF_LINK_TYPE_TCX): the kernel's own type information says
    /// which link types it was built with, without attaching anything to a real hook.
    /// </summary>
    internal static ProbeResult KernelKnowsName(string enumerator)
    {
        byte[]? strings = s_vmlinuxStrings ??= ReadVmlinuxStrings();
        if (strings is null) return ProbeResult.Inconclusive;
        byte[] needle = Encoding.ASCII.GetBytes("\0" + enumerator + "\0");
        return strings.AsSpan().IndexOf(needle) >= 0 ? ProbeResult.Present : ProbeResult.Missing;
    }

    private static byte[]? ReadVmlinuxStrings()
    {
        try
        {
            byte[] btf = File.ReadAllBytes("/sys/kernel/btf/vmlinux");   // KernelBtf.VmlinuxPath: the probes sit below KernelBtf
            uint hdrLen = BitConverter.ToUInt32(btf, 4), strOff = BitConverter.ToUInt32(btf, 16), strLen = BitConverter.ToUInt32(btf, 20);
            return btf.AsSpan((int)(hdrLen + strOff), (int)strLen).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>BPF_LINK_CREATE exists when a bogus program fd is refused with EBADF rather than an unknown command's EINVAL.</summary>
    internal static ProbeResult LinkCreateCommand()
    {
        var attr = new LinkCreateAttr { ProgFd = uint.MaxValue, TargetFd = uint.MaxValue, AttachType = (uint)AttachType.CgroupInetIngress };
        int r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
        if (r >= 0) { Libc.Close(r); return ProbeResult.Present; }
        return -r == (int)Errno.EBADF ? ProbeResult.Present : -r == (int)Errno.EINVAL ? ProbeResult.Missing : Inconclusive(r);
    }

    /// <summary>BPF_PROG_BIND_MAP exists when a bogus program fd is refused with EBADF rather than an unknown command's EINVAL.</summary>
    internal static ProbeResult ProgBindMapCommand()
    {
        var attr = new ProgBindMapAttr { ProgFd = uint.MaxValue, MapFd = uint.MaxValue };
        int r = Bpf.Invoke(BpfCommand.ProgBindMap, ref attr);
        return -r == (int)Errno.EBADF ? ProbeResult.Present : -r == (int)Errno.EINVAL ? ProbeResult.Missing : Inconclusive(r);
    }

    /// <summary>A BTF kind: loading a tiny BTF that uses it (the kernel refuses unknown kinds with EINVAL).</summary>
    internal static ProbeResult BtfKind(Ebpf.Btf.BtfKind kind)
    {
        Ebpf.Btf.BtfType[] types = kind switch
        {
            Ebpf.Btf.BtfKind.Float => [new Ebpf.Btf.BtfFloat("float", 4)],
            Ebpf.Btf.BtfKind.DeclTag => [Int(), new Ebpf.Btf.BtfTypedef("t", 1), new Ebpf.Btf.BtfDeclTag("tag", 2, -1)],
            Ebpf.Btf.BtfKind.TypeTag => [Int(), new Ebpf.Btf.BtfTypeTag("tag", 1), new Ebpf.Btf.BtfPointer(2)],
            Ebpf.Btf.BtfKind.Enum64 => [new Ebpf.Btf.BtfEnum("e", 8, false, true, [new("e1", 1L << 40)])],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no probe for this BTF kind"),
        };
        using SafeBpfHandle? btf = ProbeBtf.TryLoad(Ebpf.Btf.BtfWriter.Write(types), out Errno error);
        return btf is not null ? ProbeResult.Present : error == Errno.EINVAL ? ProbeResult.Missing : ProbeResult.Inconclusive;

        static Ebpf.Btf.BtfInt Int() => new("int", 4, Ebpf.Btf.BtfIntEncoding.Signed, 0, 32);
    }

    /// <summary>mmap()able arrays: creating one with BPF_F_MMAPABLE.</summary>
    internal static ProbeResult MmapableArray()
    {
        var attr = new MapCreateAttr { MapType = (uint)Ebpf.MapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, MapFlags = (uint)MapFlags.Mmapable };
        int r = Bpf.Invoke(BpfCommand.MapCreate, ref attr);
        if (r >= 0) { Libc.Close(r); return ProbeResult.Present; }
        return -r == (int)Errno.EINVAL ? ProbeResult.Missing : Inconclusive(r);
    }

    /// <summary>Batch operations: a batch lookup of an empty hash map ends with ENOENT; without them, EINVAL.</summary>
    internal static ProbeResult MapBatch()
    {
        var create = new MapCreateAttr { MapType = (uint)Ebpf.MapType.Hash, KeySize = 4, ValueSize = 4, MaxEntries = 1 };
        int fd = Bpf.Invoke(BpfCommand.MapCreate, ref create);
        if (fd < 0) return Inconclusive(fd);
        using var map = SafeBpfHandle.FromKernel(fd);
        ulong keys = 0, values = 0, token = 0;
        var attr = new MapBatchAttr { Keys = Bpf.Ptr(&keys), Values = Bpf.Ptr(&values), OutBatch = Bpf.Ptr(&token), Count = 1 };
        int r;
        using (map.Lease(out attr.MapFd))
            r = Bpf.Invoke(BpfCommand.MapLookupBatch, ref attr);
        return r >= 0 || -r == (int)Errno.ENOENT ? ProbeResult.Present : -r == (int)Errno.EINVAL ? ProbeResult.Missing : Inconclusive(r);
    }

    private static ProbeResult Inconclusive(int _) => ProbeResult.Inconclusive;
}
