using System.Text.Json;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>
/// Compares bpftool's JSON with ebpf's field by field: the same fields with the same values, recursively. Fields
/// listed in docs/COMPATIBILITY.md as known differences are named in <c>ignore</c>; <c>tolerance</c> allows a numeric
/// field to differ by a bound (loaded_at is rounded from two clocks read a moment apart).
/// </summary>
internal static class JsonCompare
{
    public static void Equal(JsonElement expected, JsonElement actual, IReadOnlySet<string>? ignore = null, IReadOnlyDictionary<string, long>? tolerance = null)
    {
        var differences = new List<string>();
        Compare(expected, actual, "$", differences, ignore ?? new HashSet<string>(), tolerance ?? new Dictionary<string, long>());
        Assert.True(differences.Count == 0, "bpftool vs ebpf:\n" + string.Join('\n', differences) + $"\nbpftool: {expected}\nebpf:    {actual}");
    }

    private static void Compare(JsonElement e, JsonElement a, string path, List<string> diffs, IReadOnlySet<string> ignore, IReadOnlyDictionary<string, long> tolerance)
    {
        if (e.ValueKind != a.ValueKind && !(IsBool(e) && IsBool(a)))
        {
            diffs.Add($"{path}: bpftool {e.ValueKind} {e}, ebpf {a.ValueKind} {a}");
            return;
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var names = e.EnumerateObject().Select(p => p.Name).ToHashSet();
                foreach (JsonProperty p in e.EnumerateObject())
                {
                    if (ignore.Contains(p.Name)) continue;
                    if (!a.TryGetProperty(p.Name, out JsonElement other)) diffs.Add($"{path}.{p.Name}: missing in ebpf (bpftool {p.Value})");
                    else Compare(p.Value, other, $"{path}.{p.Name}", diffs, ignore, tolerance);
                }
                foreach (JsonProperty p in a.EnumerateObject())
                    if (!names.Contains(p.Name) && !ignore.Contains(p.Name)) diffs.Add($"{path}.{p.Name}: only in ebpf ({p.Value})");
                break;
            case JsonValueKind.Array:
                int n = e.GetArrayLength();
                if (n != a.GetArrayLength()) diffs.Add($"{path}: bpftool has {n} items, ebpf {a.GetArrayLength()}");
                for (int i = 0; i < Math.Min(n, a.GetArrayLength()); i++) Compare(e[i], a[i], $"{path}[{i}]", diffs, ignore, tolerance);
                break;
            case JsonValueKind.Number:
                string field = path[(path.LastIndexOf('.') + 1)..];
                if (tolerance.TryGetValue(field, out long bound) && e.TryGetInt64(out long x) && a.TryGetInt64(out long y))
                {
                    if (Math.Abs(x - y) > bound) diffs.Add($"{path}: bpftool {x}, ebpf {y} (tolerance {bound})");
                }
                else if (e.GetRawText() != a.GetRawText())
                {
                    diffs.Add($"{path}: bpftool {e.GetRawText()}, ebpf {a.GetRawText()}");
                }
                break;
            default:
                if (e.ToString() != a.ToString()) diffs.Add($"{path}: bpftool '{e}', ebpf '{a}'");
                break;
        }
    }

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;
}
