using System.Globalization;

namespace Ebpf.Testing;

/// <summary>
/// One bpf_conformance <c>.data</c> file: the <c>-- asm</c> text, the optional <c>-- mem</c> bytes, the expected
/// <c>-- result</c> and, when present, the <c>-- raw</c> instruction words. Other sections are ignored.
/// </summary>
public sealed record ConformanceFile(string Name, string Assembly, byte[] Memory, ulong Result, ulong[]? Raw)
{
    /// <summary>
    /// The names of all test files, sorted, for theory data. When the suite is absent this is one placeholder name,
    /// so discovery succeeds and the one case skips in <see cref="Load"/> saying where the suite was looked for.
    /// </summary>
    public static IEnumerable<string> Names() => RepoPaths.HasConformanceTests
        ? Directory.GetFiles(RepoPaths.ConformanceTests, "*.data").Select(Path.GetFileName).Order(StringComparer.Ordinal)!
        : ["(bpf_conformance suite not found)"];

    /// <summary>Inside a test: the names of all test files, or a skip that says where the suite was looked for.</summary>
    public static IEnumerable<string> Suite()
    {
        RequireSuite();
        return Names();
    }

    /// <summary>Reads and parses the test file <paramref name="name"/> (skips the test when the suite is absent).</summary>
    public static ConformanceFile Load(string name)
    {
        RequireSuite();
        return Parse(name, File.ReadAllText(Path.Combine(RepoPaths.ConformanceTests, name)));
    }

    private static void RequireSuite()
    {
        if (!RepoPaths.HasConformanceTests) Xunit.Assert.Skip(RepoPaths.MissingConformanceTests);
    }

    /// <summary>Parses the text of a test file.</summary>
    public static ConformanceFile Parse(string name, string text)
    {
        var sections = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.StartsWith("--", StringComparison.Ordinal))
            {
                string section = line[2..].Trim();
                sections[section] = current = [];
                continue;
            }
            if (current is null || line.TrimStart().StartsWith('#')) continue; // the header comments
            current.Add(line);
        }
        string Section(string s) => sections.TryGetValue(s, out var lines) ? string.Join('\n', lines) : "";

        byte[] memory = [.. Section("mem").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(b => byte.Parse(b, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))];
        ulong result = ParseNumber(Section("result").Trim());
        ulong[]? raw = sections.ContainsKey("raw")
            ? [.. Section("raw").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(ParseNumber)]
            : null;
        return new ConformanceFile(name, Section("asm"), memory, result, raw);
    }

    private static ulong ParseNumber(string text) => text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        ? ulong.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
        : text.StartsWith('-')
            ? unchecked((ulong)long.Parse(text, CultureInfo.InvariantCulture))
            : ulong.Parse(text, CultureInfo.InvariantCulture);
}
