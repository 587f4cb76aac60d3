namespace Ebpf.Sections;

/// <summary>
/// One row of the <c>SEC()</c> convention table: a section name pattern and what a program in a matching section is.
/// </summary>
/// <param name="Pattern">
/// The pattern as libbpf writes it: <c>"xdp"</c> matches exactly; <c>"kprobe+"</c> matches <c>kprobe</c> or
/// <c>kprobe/anything</c>; <c>"struct_ops/"</c> (a trailing slash) matches any name starting with it.
/// </param>
/// <param name="ProgramType">The program type.</param>
/// <param name="ExpectedAttachType">The expected attach type given at load, or null (0 in libbpf's table).</param>
/// <param name="Flags">Sleepable, fragments, BTF attach target, ...</param>
public sealed record SectionDefinition(string Pattern, ProgramType ProgramType, AttachType? ExpectedAttachType, SectionFlags Flags)
{
    /// <summary>The name without the trailing <c>+</c> (what <c>bpftool</c> lists as the section type).</summary>
    public string Prefix => Pattern.EndsWith('+') ? Pattern[..^1] : Pattern;

    /// <summary>Whether a program of this kind names its attach target in the section (<c>kprobe/do_unlinkat</c>).</summary>
    public bool TakesTarget => Pattern.EndsWith('+') || Pattern.EndsWith('/');

    /// <summary>Whether <paramref name="sectionName"/> matches, with libbpf's rules (exact, <c>+</c>, trailing <c>/</c>).</summary>
    public bool Matches(string sectionName)
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        if (Pattern.EndsWith('/')) return sectionName.StartsWith(Pattern, StringComparison.Ordinal);
        if (Pattern.EndsWith('+'))
        {
            // "type+" is SEC("type") or a well-formed SEC("type/extras"), never "typeextras".
            string prefix = Pattern[..^1];
            if (!sectionName.StartsWith(prefix, StringComparison.Ordinal)) return false;
            return sectionName.Length == prefix.Length || sectionName[prefix.Length] == '/';
        }
        return sectionName == Pattern;
    }

    /// <summary>The attach target named in <paramref name="sectionName"/>: the text after the first '/', or null.</summary>
    /// <remarks>Only for rows that take a target (<see cref="TakesTarget"/>); <c>cgroup/bind4</c> names no target.</remarks>
    public string? TargetOf(string sectionName)
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        if (!TakesTarget) return null;
        int slash = sectionName.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 || slash == sectionName.Length - 1 ? null : sectionName[(slash + 1)..];
    }
}
