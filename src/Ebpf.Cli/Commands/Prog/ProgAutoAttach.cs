using Ebpf.Linux;
using Ebpf.Linux.Links;

namespace Ebpf.Cli.Commands.Prog;

/// <summary>
/// The one seam between <c>prog load|loadall ... autoattach</c> and the attach code: attaches a loaded tracing program
/// by its section name (<see cref="AutoAttach"/>) and returns the link to pin. Programs whose hook needs a target
/// only the user knows (xdp, tc, cgroup, socket...) are skipped, as bpftool skips them.
/// </summary>
internal static class ProgAutoAttach
{
    /// <summary>Attaches <paramref name="program"/> as its section (<paramref name="spec"/>) says, or returns null.</summary>
    /// <exception cref="NotSupportedException">The kernel lacks the hook (the message names it).</exception>
    public static Ebpf.Linux.Links.Link? Attach(KernelProgram program, ProgramSpec spec)
    {
        if (spec.Type is not (ProgramType.Kprobe or ProgramType.Tracepoint or ProgramType.RawTracepoint or ProgramType.RawTracepointWritable
            or ProgramType.Tracing or ProgramType.Lsm))
            return null;
        try
        {
            return AutoAttach.Attach(program, spec);
        }
        catch (ArgumentException e)
        {
            throw new Output.CliError($"autoattach: {e.Message}");
        }
    }
}
