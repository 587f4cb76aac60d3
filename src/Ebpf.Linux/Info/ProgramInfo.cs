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
    /// <summary>The name (at most 15 characters).</summary>
    public required string Name { get; init; }
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
        var r = new ProgInfoRecord();
        fixed (uint* m = mapIds, f = funcLens)
        fixed (byte* x = xlated, j = jited)
        fixed (ulong* k = ksyms)
        {
            r.NrMapIds = (uint)mapIds.Length; r.MapIds = Bpf.Ptr(m);
            r.XlatedProgLen = (uint)xlated.Length; r.XlatedProgInsns = Bpf.Ptr(x);
            r.JitedProgLen = (uint)jited.Length; r.JitedProgInsns = Bpf.Ptr(j);
            r.NrJitedFuncLens = (uint)funcLens.Length; r.JitedFuncLens = Bpf.Ptr(f);
            r.NrJitedKsyms = (uint)ksyms.Length; r.JitedKsyms = Bpf.Ptr(k);
            ObjectInfo.Get(handle, ref r, "get info of program", subject);
        }
        // The kernel reports the current sizes again; an array that grew meanwhile (a map bound in between) is cut.
        ulong tag = r.Tag;
        return new ProgramInfo
        {
            Type = (ProgramType)r.Type, Id = r.Id, Name = ObjectName.Read(r.Name),
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
}
