using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Ebpf.Linux;

/// <summary>
/// The fields the kernel reports about one open fd in <c>/proc/PID/fdinfo/FD</c>: for BPF objects what no bpf()
/// command returns, such as the memory charged to the object (bpftool's <c>bytes_memlock</c>) and a map's frozen flag,
/// and the object's id, which names the object behind another process's fd.
/// </summary>
public sealed class FdInfo
{
    private readonly Dictionary<string, string> _fields;

    private FdInfo(Dictionary<string, string> fields) => _fields = fields;

    /// <summary>Every field by name ("pos", "flags", "map_type", "memlock", "prog_id", "link_id"...), values trimmed.</summary>
    public IReadOnlyDictionary<string, string> Fields => _fields;

    /// <summary>The memory charged to the object in bytes (<c>memlock</c>; programs and maps), or null.</summary>
    public long? Memlock => Number("memlock");

    /// <summary>Whether a map is frozen (<c>frozen</c>, Linux 5.2+; BPF_MAP_FREEZE), or null for other fds and older kernels.</summary>
    public bool? Frozen => Number("frozen") is { } frozen ? frozen != 0 : null;

    /// <summary>The id of the program behind the fd (<c>prog_id</c>: a program's, or a link's program), or null.</summary>
    public uint? ProgramId => Id("prog_id");

    /// <summary>The id of the map behind the fd (<c>map_id</c>), or null.</summary>
    public uint? MapId => Id("map_id");

    /// <summary>The id of the link behind the fd (<c>link_id</c>, Linux 5.8+), or null.</summary>
    public uint? LinkId => Id("link_id");

    /// <summary>The id of the BTF object behind the fd (<c>btf_id</c>), or null.</summary>
    public uint? BtfId => Id("btf_id");

    /// <summary>A decimal field, or null when the kernel does not report it (or not as a number).</summary>
    public long? Number(string field) =>
        _fields.TryGetValue(field, out string? v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : null;

    /// <summary>Reads the fdinfo of <paramref name="handle"/>, an fd of this process (any kind of handle).</summary>
    /// <exception cref="IOException">/proc is not mounted (or not readable).</exception>
    /// <exception cref="ObjectDisposedException">The handle is closed.</exception>
    public static FdInfo Read(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        bool added = false;
        handle.DangerousAddRef(ref added);   // the fd number must stay this object's while the file is read
        try
        {
            return Parse(File.ReadLines($"/proc/self/fdinfo/{(int)handle.DangerousGetHandle()}"));
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>
    /// Reads the fdinfo of fd <paramref name="fd"/> of process <paramref name="processId"/>; false when there is no
    /// such fd any more (the process exited or closed it) or it may not be read (another user's, without root).
    /// </summary>
    public static bool TryRead(int processId, int fd, [NotNullWhen(true)] out FdInfo? info)
    {
        try
        {
            // Read it whole: a file that vanishes half-way is a miss, not a partial answer.
            info = Parse(File.ReadAllLines($"/proc/{processId}/fdinfo/{fd}"));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            info = null;
            return false;
        }
    }

    private uint? Id(string field) => Number(field) is long n and >= 0 and <= uint.MaxValue ? (uint)n : null;

    private static FdInfo Parse(IEnumerable<string> lines)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) fields[line[..colon]] = line[(colon + 1)..].Trim();
        }
        return new FdInfo(fields);
    }
}
