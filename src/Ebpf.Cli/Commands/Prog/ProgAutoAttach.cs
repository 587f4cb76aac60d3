using Ebpf.Linux;
using Ebpf.Linux.Links;

namespace Ebpf.Cli.Commands.Prog;

/// <summary>
/// The one seam between <c>prog load|loadall ... autoattach</c> and the attach code: attaches a loaded program by its
/// section name and returns the link to pin, or null when the section says nothing attachable. Tracepoint sections
/// attach here today; the rest of the tracing sections move to <c>Ebpf.Linux.Links.AutoAttach.Attach</c> when it lands.
/// </summary>
internal static class ProgAutoAttach
{
    /// <summary>Attaches <paramref name="program"/> as its section (<paramref name="spec"/>) says.</summary>
    /// <exception cref="NotSupportedException">The section names a hook this build cannot attach yet.</exception>
    public static Link? Attach(KernelProgram program, ProgramSpec spec)
    {
        string section = spec.SectionName;
        string? target = spec.AttachTo;
        if (section.StartsWith("tracepoint/", StringComparison.Ordinal) || section.StartsWith("tp/", StringComparison.Ordinal))
        {
            string[] parts = (target ?? section[(section.IndexOf('/', StringComparison.Ordinal) + 1)..]).Split('/', 2);
            if (parts.Length != 2) throw new NotSupportedException($"autoattach: section '{section}' does not name CATEGORY/EVENT");
            return TracepointLink.Attach(program, parts[0], parts[1]);
        }
        if (spec.Type is ProgramType.Kprobe or ProgramType.Tracing or ProgramType.RawTracepoint or ProgramType.Lsm or ProgramType.PerfEvent)
            throw new NotSupportedException($"autoattach of section '{section}' ({KernelEnumNames.Name(spec.Type)}) is not wired in this build yet; attach it with 'ebpf link' or the library");
        return null;    // xdp, tc, cgroup...: attached to a device or cgroup, never automatically (as in bpftool)
    }
}
