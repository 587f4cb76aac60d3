using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Tests.Loader;

/// <summary>
/// Loads an object with <c>bpftool prog loadall</c> (libbpf, the reference) into a fresh bpffs directory and reports
/// what the kernel holds: each pinned program's name and tag, and the maps they use. Always unpins.
/// </summary>
internal static class BpftoolOracle
{
    public const string Vmlinux = "/sys/kernel/btf/vmlinux";

    internal sealed record LoadedProgram(string PinName, string Name, string Type, string Tag, int[] MapIds);

    internal sealed record LoadedMap(int Id, string Name, string Type, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags);

    internal sealed record Result(bool Loaded, string Error, IReadOnlyList<LoadedProgram> Programs, IReadOnlyList<LoadedMap> Maps);

    public static void RequireRoot()
    {
        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
            Assert.Skip("bpftool prog loadall needs root (CAP_BPF and CAP_SYS_ADMIN)");
        if (!Directory.Exists("/sys/fs/bpf")) Assert.Skip("/sys/fs/bpf is absent");
        if (!File.Exists("/proc/mounts") || !File.ReadAllText("/proc/mounts").Contains(" /sys/fs/bpf bpf ", StringComparison.Ordinal))
            ExternalTool.Run("mount", "-t", "bpf", "bpf", "/sys/fs/bpf");
    }

    /// <param name="objectPath">The object.</param>
    /// <param name="pinnedMaps">Maps the object pins by name (under /sys/fs/bpf), removed afterwards.</param>
    public static Result LoadAll(string objectPath, IEnumerable<string>? pinnedMaps = null)
    {
        RequireRoot();
        string dir = $"/sys/fs/bpf/ebpfnet_loader_{Environment.ProcessId}_{Guid.NewGuid():N}";
        try
        {
            var (code, _, stderr) = ExternalTool.TryRun("bpftool", "prog", "loadall", objectPath, dir);
            if (code != 0) return new Result(false, stderr, [], []);
            var programs = new List<LoadedProgram>();
            var mapIds = new SortedSet<int>();
            foreach (string pin in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                using JsonDocument doc = JsonDocument.Parse(ExternalTool.Run("bpftool", "prog", "show", "pinned", pin, "-j"));
                JsonElement root = doc.RootElement;
                int[] ids = root.TryGetProperty("map_ids", out JsonElement m) ? [.. m.EnumerateArray().Select(e => e.GetInt32())] : [];
                mapIds.UnionWith(ids);
                programs.Add(new LoadedProgram(Path.GetFileName(pin), root.GetProperty("name").GetString()!, root.GetProperty("type").GetString()!,
                    root.GetProperty("tag").GetString()!, ids));
            }
            var maps = new List<LoadedMap>();
            foreach (int id in mapIds)
            {
                using JsonDocument doc = JsonDocument.Parse(ExternalTool.Run("bpftool", "map", "show", "id", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-j"));
                JsonElement r = doc.RootElement;
                maps.Add(new LoadedMap(id, r.GetProperty("name").GetString()!, r.GetProperty("type").GetString()!,
                    r.GetProperty("bytes_key").GetUInt32(), r.GetProperty("bytes_value").GetUInt32(), r.GetProperty("max_entries").GetUInt32(),
                    r.GetProperty("flags").GetUInt32()));
            }
            return new Result(true, "", programs, maps);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                foreach (string pin in Directory.GetFiles(dir)) File.Delete(pin);
                Directory.Delete(dir);
            }
            foreach (string map in pinnedMaps ?? [])
                if (File.Exists($"/sys/fs/bpf/{map}")) File.Delete($"/sys/fs/bpf/{map}");
        }
    }

    /// <summary>Every compiled object under bpf/ the kernel accepts (bpftool loads them), relative paths.</summary>
    public static TheoryData<string> Objects() => new(RepoPaths.LoadableBpfObjects());

    /// <summary>bpftool's names for map types (libbpf's map_type_name).</summary>
    public static string MapTypeName(MapType type) => type switch
    {
        MapType.PerCpuHash => "percpu_hash",
        MapType.PerCpuArray => "percpu_array",
        MapType.LruHash => "lru_hash",
        MapType.LruPerCpuHash => "lru_percpu_hash",
        MapType.ArrayOfMaps => "array_of_maps",
        MapType.HashOfMaps => "hash_of_maps",
        MapType.ProgArray => "prog_array",
        MapType.PerfEventArray => "perf_event_array",
        MapType.RingBuffer => "ringbuf",
        MapType.LpmTrie => "lpm_trie",
        MapType.StackTrace => "stack_trace",
        MapType.UserRingBuffer => "user_ringbuf",
        MapType.BloomFilter => "bloom_filter",
        MapType.CgroupArray => "cgroup_array",
        MapType.CgroupStorage => "cgroup_storage",
        MapType.PerCpuCgroupStorage => "percpu_cgroup_storage",
        MapType.CgrpStorage => "cgrp_storage",
        MapType.SkStorage => "sk_storage",
        MapType.TaskStorage => "task_storage",
        MapType.InodeStorage => "inode_storage",
        MapType.DevMap => "devmap",
        MapType.DevMapHash => "devmap_hash",
        MapType.SockHash => "sockhash",
        MapType.SockMap => "sockmap",
        MapType.CpuMap => "cpumap",
        MapType.XskMap => "xskmap",
        MapType.ReuseportSockarray => "reuseport_sockarray",
        MapType.StructOps => "struct_ops",
        _ => type.ToString().ToLowerInvariant(),
    };
}
