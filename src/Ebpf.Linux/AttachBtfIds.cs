using System.Buffers.Binary;
using System.Text;

namespace Ebpf.Linux;

/// <summary>
/// Finds the vmlinux BTF type id a tracing program attaches to (attach_btf_id at load): the FUNC of an fentry/fexit/
/// fmod_ret target, <c>bpf_lsm_NAME</c> for LSM hooks, the <c>btf_trace_NAME</c> typedef for tp_btf and the
/// <c>bpf_iter_NAME</c> FUNC for iterators, as libbpf does. The raw BTF is scanned once (no full parse: only names
/// and kinds are needed) and the name index is kept.
/// </summary>
internal static class AttachBtfIds
{
    internal const string VmlinuxPath = KernelBtf.VmlinuxPath;
    private const int KindTypedef = 8, KindFunc = 12;

    private static readonly Lazy<Dictionary<(string, int), uint>> s_index = new(() => Index(File.ReadAllBytes(VmlinuxPath)));

    /// <summary>The kernel's name of the BTF type a program of this kind attaches to, and its BTF kind.</summary>
    internal static (string Name, int Kind) TypeName(ProgramType type, AttachType attachType, string target) => (type, attachType) switch
    {
        (ProgramType.Tracing, AttachType.TraceRawTp) => ("btf_trace_" + target, KindTypedef),
        (ProgramType.Tracing, AttachType.TraceIter) => ("bpf_iter_" + target, KindFunc),
        (ProgramType.Lsm, _) => ("bpf_lsm_" + target, KindFunc),
        _ => (target, KindFunc),
    };

    /// <summary>The vmlinux BTF id of the attach target of a program of <paramref name="type"/>/<paramref name="attachType"/>.</summary>
    /// <exception cref="KernelFeatureMissingException">The kernel exposes no BTF (CONFIG_DEBUG_INFO_BTF).</exception>
    /// <exception cref="ArgumentException">vmlinux BTF has no such function, tracepoint or iterator.</exception>
    internal static int Resolve(ProgramType type, AttachType attachType, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (!File.Exists(VmlinuxPath))
            throw new KernelFeatureMissingException("vmlinux BTF (CONFIG_DEBUG_INFO_BTF)",
                $"resolve the attach target '{target}': {VmlinuxPath} does not exist", "5.5");
        (string name, int kind) = TypeName(type, attachType, target);
        if (s_index.Value.TryGetValue((name, kind), out uint id)) return (int)id;
        string what = kind == KindTypedef ? "typedef" : "function";
        throw new ArgumentException(
            $"attach target '{target}' of {type}/{attachType}: vmlinux BTF has no {what} '{name}' (misspelled, inlined, " +
            "in a kernel module, or not in this kernel)", nameof(target));
    }

    /// <summary>Name and kind of every FUNC and TYPEDEF in raw BTF → its id (the first one wins).</summary>
    internal static Dictionary<(string, int), uint> Index(ReadOnlySpan<byte> btf)
    {
        if (btf.Length < 24 || BinaryPrimitives.ReadUInt16LittleEndian(btf) != 0xeB9F)
            throw new InvalidDataException($"{VmlinuxPath} is not little-endian BTF");
        uint hdrLen = U32(btf, 4), typeOff = U32(btf, 8), typeLen = U32(btf, 12), strOff = U32(btf, 16), strLen = U32(btf, 20);
        ReadOnlySpan<byte> types = btf.Slice((int)(hdrLen + typeOff), (int)typeLen);
        ReadOnlySpan<byte> strings = btf.Slice((int)(hdrLen + strOff), (int)strLen);
        var index = new Dictionary<(string, int), uint>();
        uint id = 1;
        for (int pos = 0; pos + 12 <= types.Length; id++)
        {
            uint nameOff = U32(types, pos), info = U32(types, pos + 4);
            int kind = (int)((info >> 24) & 0x1f), vlen = (int)(info & 0xffff);
            if ((kind == KindFunc || kind == KindTypedef) && nameOff != 0 && nameOff < strings.Length)
            {
                ReadOnlySpan<byte> rest = strings[(int)nameOff..];
                int end = rest.IndexOf((byte)0);
                index.TryAdd((Encoding.ASCII.GetString(end < 0 ? rest : rest[..end]), kind), id);
            }
            pos += 12 + kind switch
            {
                1 or 14 or 17 => 4,                     // INT, VAR, DECL_TAG
                3 => 12,                                // ARRAY
                4 or 5 or 15 or 19 => vlen * 12,        // STRUCT, UNION, DATASEC, ENUM64
                6 or 13 => vlen * 8,                    // ENUM, FUNC_PROTO
                _ => 0,
            };
        }
        return index;
    }

    private static uint U32(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(s[offset..]);
}
