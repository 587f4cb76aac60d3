using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>BPF_OBJ_GET_INFO_BY_FD for every object kind.</summary>
internal static unsafe class ObjectInfo
{
    /// <summary>Fills <paramref name="record"/> for the object behind <paramref name="handle"/>.</summary>
    internal static void Get<TRecord>(SafeBpfHandle handle, ref TRecord record, string operation, string subject) where TRecord : unmanaged
    {
        fixed (TRecord* p = &record)
        {
            var attr = new ObjInfoAttr { InfoLen = (uint)sizeof(TRecord), Info = Bpf.Ptr(p) };
            int r;
            using (handle.Lease(out attr.BpfFd))
                r = Bpf.Invoke(BpfCommand.ObjGetInfoByFd, ref attr);
            BpfErrors.Check(r, operation, subject);
        }
    }
}
