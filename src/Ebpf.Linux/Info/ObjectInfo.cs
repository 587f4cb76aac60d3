using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>BPF_OBJ_GET_INFO_BY_FD for every object kind.</summary>
internal static unsafe class ObjectInfo
{
    /// <summary>Fills <paramref name="record"/> for the object behind <paramref name="handle"/>.</summary>
    /// <remarks>BPF_OBJ_GET_INFO_BY_FD answers for any kind of BPF object and writes that kind's record, so the kind is
    /// checked first (from the fd's anon-inode name) lest a program's info be read as a map's.</remarks>
    internal static void Get<TRecord>(SafeBpfHandle handle, ref TRecord record, string operation, string subject) where TRecord : unmanaged
    {
        string expected = typeof(TRecord).Name switch
        {
            nameof(MapInfoRecord) => "bpf-map",
            nameof(ProgInfoRecord) => "bpf-prog",
            nameof(LinkInfoRecord) => "bpf-link",
            _ => "btf",
        };
        string? kind = Kind(handle);
        if (kind is not null && kind.Replace('_', '-') != expected)   // links were "bpf_link" before 5.x, "bpf-link" now
            throw new BpfException($"{operation} {subject}: {Errno.EINVAL.Describe()}; the fd is a {kind}, not a {expected}", Errno.EINVAL);
        fixed (TRecord* p = &record)
        {
            var attr = new ObjInfoAttr { InfoLen = (uint)sizeof(TRecord), Info = Bpf.Ptr(p) };
            int r;
            using (handle.Lease(out attr.BpfFd))
                r = Bpf.Invoke(BpfCommand.ObjGetInfoByFd, ref attr);
            BpfErrors.Check(r, operation, subject);
        }
    }

    /// <summary>"bpf-map", "bpf-prog", "bpf-link", "btf"... from /proc/self/fd; null when /proc cannot tell.</summary>
    internal static string? Kind(SafeBpfHandle handle)
    {
        using var lease = handle.Lease(out uint fd);
        try
        {
            string? target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            const string prefix = "anon_inode:";
            return target is not null && target.StartsWith(prefix, StringComparison.Ordinal) ? target[prefix.Length..] : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
