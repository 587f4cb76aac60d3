using Ebpf.Linux;

namespace Ebpf.Vm.Tests.Maps;

/// <summary>The kernel map's byte API answering <see cref="MapResult"/>s, so the VM map's answers compare one to one.</summary>
internal static class KernelMapOps
{
    public static MapResult Lookup(KernelMap map, ReadOnlySpan<byte> key, Span<byte> value)
    {
        try { return map.TryLookup(key, value) ? MapResult.Ok : MapResult.NotFound; }
        catch (Exception e) { return Result(e); }
    }

    public static MapResult Update(KernelMap map, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags)
    {
        try { map.Update(key, value, flags); return MapResult.Ok; }
        catch (Exception e) { return Result(e); }
    }

    public static MapResult Delete(KernelMap map, ReadOnlySpan<byte> key)
    {
        try { return map.Delete(key) ? MapResult.Ok : MapResult.NotFound; }
        catch (Exception e) { return Result(e); }
    }

    public static MapResult LookupAndDelete(KernelMap map, ReadOnlySpan<byte> key, Span<byte> value)
    {
        try { return map.TryLookupAndDelete(key, value) ? MapResult.Ok : MapResult.NotFound; }
        catch (Exception e) { return Result(e); }
    }

    public static MapResult GetNextKey(KernelMap map, ReadOnlySpan<byte> key, Span<byte> next)
    {
        try { return map.TryGetNextKey(key, next) ? MapResult.Ok : MapResult.NotFound; }
        catch (Exception e) { return Result(e); }
    }

    private static MapResult Result(Exception e)
    {
        Errno errno = e switch
        {
            BpfException b => b.Errno,
            UnauthorizedAccessException { InnerException: BpfException b } => b.Errno,
            KernelFeatureMissingException => Errno.EOPNOTSUPP,
            _ => throw e,
        };
        return errno switch
        {
            Errno.ENOENT => MapResult.NotFound,
            Errno.E2BIG => MapResult.Full,
            Errno.EEXIST => MapResult.Exists,
            Errno.EINVAL => MapResult.Invalid,
            Errno.ENOSPC => MapResult.NoSpace,
            Errno.EPERM => MapResult.NotPermitted,
            Errno.EOPNOTSUPP or Errno.ENOTSUPP => MapResult.NotSupported,
            _ => throw e,
        };
    }
}
