namespace Ebpf.Linux;

/// <summary>The CPUs the kernel could ever bring online: per-CPU map values have one slot for each of them.</summary>
public static class PossibleCpus
{
    private static int s_count;

    /// <summary>The number of possible CPUs (from <c>/sys/devices/system/cpu/possible</c>).</summary>
    public static int Count => s_count != 0 ? s_count : s_count = Parse(File.ReadAllText("/sys/devices/system/cpu/possible"));

    /// <summary>Counts the CPUs of a kernel cpu list ("0-3", "0,2-5").</summary>
    /// <exception cref="FormatException">Not a cpu list.</exception>
    public static int Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        int count = 0;
        foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0) { _ = ParseInt(part); count++; continue; }
            int first = ParseInt(part[..dash]), last = ParseInt(part[(dash + 1)..]);
            if (last < first) throw new FormatException($"bad cpu range '{part}'");
            count += last - first + 1;
        }
        return count > 0 ? count : throw new FormatException($"empty cpu list '{list}'");
    }

    private static int ParseInt(string s) =>
        int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v)
            ? v : throw new FormatException($"bad cpu number '{s}'");
}
