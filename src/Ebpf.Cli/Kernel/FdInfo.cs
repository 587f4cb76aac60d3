using System.Globalization;
using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// What the kernel reports about a BPF fd in /proc/self/fdinfo and nowhere else: memlock (bpftool's bytes_memlock)
/// and a map's frozen flag.
/// </summary>
internal static class FdInfo
{
    /// <summary>The fields of the fdinfo of <paramref name="handle"/> by name ("memlock", "frozen", ...).</summary>
    public static Dictionary<string, string> Read(SafeBpfHandle handle)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string path = $"/proc/self/fdinfo/{handle.DangerousGetHandle()}";
        if (!File.Exists(path)) return fields;
        foreach (string line in File.ReadLines(path))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) fields[line[..colon]] = line[(colon + 1)..].Trim();
        }
        return fields;
    }

    /// <summary>A numeric field, or null when the kernel does not report it.</summary>
    public static long? Number(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out string? v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : null;
}
