namespace Ebpf.Linux.Tests;

/// <summary>
/// How many entries an LRU map must have so that a test's keys all stay. The kernel's common LRU keeps free nodes in
/// per-CPU lists and refills them 128 at a time (LOCAL_FREE_TARGET); when a thread moves between CPUs it can evict a
/// live entry of a map that is not full (seen on 6.12 in the kernel matrix with 16 keys in a 16-entry map).
/// </summary>
internal static class LruRoom
{
    public static int Capacity(MapType type, int keys) =>
        type is MapType.LruHash or MapType.LruPerCpuHash ? keys + 2 * 128 * PossibleCpus.Count : keys;
}
