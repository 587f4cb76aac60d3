using Ebpf.Linux;
using Ebpf.Linux.Links;

namespace Ebpf.Cli.Commands.Prog;

/// <summary>
/// The one seam between <c>prog load|loadall ... autoattach</c> and the attach code: attaches a loaded program by its
/// section name (<see cref="AutoAttach"/>, libbpf's rules) and returns the link to pin, or null when the section
/// names a hook attached to a device, cgroup or socket, which bpftool leaves to <c>net attach</c>/<c>cgroup attach</c>.
/// </summary>
internal static class ProgAutoAttach
{
    /// <summary>Attaches <paramref name="program"/> as its section (<paramref name="spec"/>) says.</summary>
    /// <exception cref="KernelFeatureMissingException">The kernel lacks the hook.</exception>
    public static Ebpf.Linux.Links.Link? Attach(KernelProgram program, ProgramSpec spec)
    {
        if (spec.Type is not (ProgramType.Kprobe or ProgramType.Tracepoint or ProgramType.RawTracepoint
            or ProgramType.RawTracepointWritable or ProgramType.Tracing or ProgramType.Lsm))
            return null;    // xdp, tc, cgroup, perf_event...: attached to a device, cgroup or CPU, never automatically
        try
        {
            return AutoAttach.Attach(program, spec);
        }
        catch (ArgumentException e)
        {
            throw new Output.CliError($"autoattach: {e.Message}");   // a section without a target: the user's object, one line
        }
    }
}
