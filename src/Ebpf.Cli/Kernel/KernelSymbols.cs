using System.Globalization;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// Kernel symbols from /proc/kallsyms, to name the helper calls of translated programs: after verification a call's
/// immediate is the helper's address relative to <c>__bpf_call_base</c>. Addresses read as 0 (kptr_restrict) give no names.
/// </summary>
internal static class KernelSymbols
{
    private static readonly Lazy<(ulong Base, Dictionary<ulong, string> ByAddress)?> s_symbols = new(Read);

    /// <summary>The function a translated helper call with <paramref name="immediate"/> calls, or null.</summary>
    public static string? HelperCall(int immediate)
    {
        if (s_symbols.Value is not { } symbols) return null;
        ulong address = unchecked(symbols.Base + (ulong)(long)immediate);
        return symbols.ByAddress.TryGetValue(address, out string? name) ? name : null;
    }

    private static (ulong, Dictionary<ulong, string>)? Read()
    {
        if (!File.Exists("/proc/kallsyms")) return null;
        var byAddress = new Dictionary<ulong, string>();
        ulong callBase = 0;
        foreach (string line in File.ReadLines("/proc/kallsyms"))
        {
            string[] parts = line.Split(' ', 4);
            if (parts.Length < 3 || parts[1] is not ("T" or "t")) continue;
            if (!ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong address) || address == 0) continue;
            string name = parts[2].Split('\t')[0];
            byAddress.TryAdd(address, name);
            if (name == "__bpf_call_base") callBase = address;
        }
        return callBase == 0 ? null : (callBase, byAddress);
    }
}
