namespace Ebpf.Linux;

/// <summary>The CPUs that are online now (a subset of <see cref="PossibleCpus"/>): perf buffers have one ring for each.</summary>
public static class OnlineCpus
{
    /// <summary>The online CPU numbers, ascending (from <c>/sys/devices/system/cpu/online</c>).</summary>
    public static IReadOnlyList<int> List() => Parse(File.ReadAllText("/sys/devices/system/cpu/online"));

    /// <summary>Expands a kernel cpu list ("0-3", "0,2-5") into CPU numbers.</summary>
    /// <exception cref="FormatException">Not a cpu list.</exception>
    public static IReadOnlyList<int> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var cpus = new List<int>();
        foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-', StringComparison.Ordinal);
            int first = ParseInt(dash < 0 ? part : part[..dash]), last = dash < 0 ? first : ParseInt(part[(dash + 1)..]);
            if (last < first) throw new FormatException($"bad cpu range '{part}'");
            for (int c = first; c <= last; c++) cpus.Add(c);
        }
        return cpus.Count > 0 ? cpus : throw new FormatException($"empty cpu list '{list}'");
    }

    private static int ParseInt(string s) =>
        int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v)
            ? v : throw new FormatException($"bad cpu number '{s}'");
}
