using System.Buffers.Binary;
using System.Collections.Immutable;
using Ebpf.Asm;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>What the kernel reports about a loaded program (struct bpf_prog_info), as <c>bpftool prog show</c> prints it.</summary>
public sealed record ProgramInfo
{
    /// <summary>The program's type.</summary>
    public required ProgramType Type { get; init; }
    /// <summary>The kernel's id.</summary>
    public required uint Id { get; init; }
    /// <summary>The program tag (see <see cref="ProgramTag"/>), as bpftool prints it with <see cref="ProgramTag.Format"/>.</summary>
    public required ulong Tag { get; init; }
    /// <summary>The name the kernel keeps (at most 15 characters: longer names arrive cut).</summary>
    public required string Name { get; init; }
    /// <summary>
    /// The whole name: <see cref="Name"/>, or where the kernel cut it, the name of the program's first function in its
    /// BTF (func info), as bpftool shows it (<c>xdp_firewall_prog</c> where the kernel keeps <c>xdp_firewall_pr</c>).
    /// </summary>
    public string FullName { get => field ?? Name; init; }
    /// <summary>When the program was loaded, as time since boot (CLOCK_BOOTTIME).</summary>
    public required TimeSpan LoadTime { get; init; }
    /// <summary>The uid of the loading process.</summary>
    public required uint CreatedByUid { get; init; }
    /// <summary>Ids of the maps the program uses.</summary>
    public required ImmutableArray<uint> MapIds { get; init; }
    /// <summary>The program after the verifier's rewrites (map fds become map addresses, helpers are resolved).</summary>
    public required ImmutableArray<Instruction> XlatedInstructions { get; init; }
    /// <summary>The JIT's machine code (empty when the JIT is off or the caller lacks the right to see it).</summary>
    public required ImmutableArray<byte> JitedInstructions { get; init; }
    /// <summary>Byte lengths of the jited code of each function (the main program first).</summary>
    public required ImmutableArray<uint> JitedFunctionLengths { get; init; }
    /// <summary>Kernel addresses of the jited functions.</summary>
    public required ImmutableArray<ulong> JitedSymbols { get; init; }
    /// <summary>Total time spent running, when statistics are on (<see cref="BpfStats.EnableRunTime"/>).</summary>
    public required TimeSpan RunTime { get; init; }
    /// <summary>Number of runs, when statistics are on.</summary>
    public required ulong RunCount { get; init; }
    /// <summary>Runs skipped because the program was already running on the CPU.</summary>
    public ulong RecursionMisses { get; init; }
    /// <summary>Instructions the verifier processed.</summary>
    public uint VerifiedInstructions { get; init; }
    /// <summary>True when the license is GPL-compatible.</summary>
    public bool GplCompatible { get; init; }
    /// <summary>Id of the program's BTF, or 0.</summary>
    public uint BtfId { get; init; }
    /// <summary>The device the program is offloaded to, or 0.</summary>
    public int Ifindex { get; init; }
    /// <summary>Id of the BTF object holding the attach target, or 0.</summary>
    public uint AttachBtfObjectId { get; init; }
    /// <summary>The attach target's type id in that BTF, or 0.</summary>
    public uint AttachBtfId { get; init; }

    /// <summary>Reads the info of the program behind <paramref name="handle"/>, with its instructions and map ids.</summary>
    /// <exception cref="BpfException">The handle is not a program (EINVAL) or is closed.</exception>
    public static ProgramInfo Get(SafeBpfHandle handle) => Get(handle, $"program {handle}");

    internal static unsafe ProgramInfo Get(SafeBpfHandle handle, string subject)
    {
        ArgumentNullException.ThrowIfNull(handle);
        // First pass: the kernel fills the counts; second pass: the arrays, in buffers of those sizes.
        var counts = new ProgInfoRecord();
        ObjectInfo.Get(handle, ref counts, "get info of program", subject);
        var mapIds = new uint[counts.NrMapIds];
        var xlated = new byte[counts.XlatedProgLen];
        var jited = new byte[counts.JitedProgLen];
        var funcLens = new uint[counts.NrJitedFuncLens];
        var ksyms = new ulong[counts.NrJitedKsyms];
        // Only the first function's record: its BTF name is the program's whole name.
        bool wantsFuncInfo = counts.NrFuncInfo > 0 && counts.BtfId != 0 && counts.FuncInfoRecSize >= 8 && IsCut(counts);
        var funcInfo = new byte[wantsFuncInfo ? counts.FuncInfoRecSize : 0];
        var r = new ProgInfoRecord();
        fixed (uint* m = mapIds, f = funcLens)
        fixed (byte* x = xlated, j = jited, fi = funcInfo)
        fixed (ulong* k = ksyms)
        {
            if (wantsFuncInfo) { r.NrFuncInfo = 1; r.FuncInfoRecSize = counts.FuncInfoRecSize; r.FuncInfo = Bpf.Ptr(fi); }
            r.NrMapIds = (uint)mapIds.Length; r.MapIds = Bpf.Ptr(m);
            r.XlatedProgLen = (uint)xlated.Length; r.XlatedProgInsns = Bpf.Ptr(x);
            r.JitedProgLen = (uint)jited.Length; r.JitedProgInsns = Bpf.Ptr(j);
            r.NrJitedFuncLens = (uint)funcLens.Length; r.JitedFuncLens = Bpf.Ptr(f);
            r.NrJitedKsyms = (uint)ksyms.Length; r.JitedKsyms = Bpf.Ptr(k);
            ObjectInfo.Get(handle, ref r, "get info of program", subject);
        }
        // The kernel reports the current sizes again; an array that grew meanwhile (a map bound in between) is cut.
        ulong tag = r.Tag;
        string name = ObjectName.Read(r.Name);
        return new ProgramInfo
        {
            Type = (ProgramType)r.Type, Id = r.Id, Name = name,
            FullName = (wantsFuncInfo ? ProgramFullName.FromBtf(r.BtfId, BinaryPrimitives.ReadUInt32LittleEndian(funcInfo.AsSpan(4))) : null) ?? name,
            Tag = BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(&tag, 8)),
            LoadTime = TimeSpan.FromTicks((long)(r.LoadTime / 100)), CreatedByUid = r.CreatedByUid,
            MapIds = [.. mapIds.AsSpan(0, (int)Math.Min(r.NrMapIds, (uint)mapIds.Length))],
            XlatedInstructions = [.. InstructionStream.DecodeUnchecked(xlated.AsSpan(0, (int)Math.Min(r.XlatedProgLen, (uint)xlated.Length)))],
            JitedInstructions = [.. jited.AsSpan(0, (int)Math.Min(r.JitedProgLen, (uint)jited.Length))],
            JitedFunctionLengths = [.. funcLens.AsSpan(0, (int)Math.Min(r.NrJitedFuncLens, (uint)funcLens.Length))],
            JitedSymbols = [.. ksyms.AsSpan(0, (int)Math.Min(r.NrJitedKsyms, (uint)ksyms.Length))],
            RunTime = TimeSpan.FromTicks((long)(r.RunTimeNs / 100)), RunCount = r.RunCnt, RecursionMisses = r.RecursionMisses,
            VerifiedInstructions = r.VerifiedInsns, GplCompatible = (r.GplCompatible & 1) != 0, BtfId = r.BtfId,
            Ifindex = (int)r.Ifindex, AttachBtfObjectId = r.AttachBtfObjId, AttachBtfId = r.AttachBtfId,
        };
    }

    // A name of BPF_OBJ_NAME_LEN - 1 characters may have been cut at load (bpftool asks BTF in the same case).
    private static unsafe bool IsCut(in ProgInfoRecord r)
    {
        fixed (byte* name = r.Name) return new ReadOnlySpan<byte>(name, 16).IndexOf((byte)0) == 15;
    }
}
