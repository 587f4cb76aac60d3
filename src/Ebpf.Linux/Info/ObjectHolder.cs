namespace Ebpf.Linux;

/// <summary>A process that holds an fd of a BPF object, one entry of bpftool's <c>pids</c>.</summary>
/// <param name="ProcessId">The process.</param>
/// <param name="Command">Its command name (<c>/proc/PID/comm</c>), or "" when it exited while being asked.</param>
public sealed record ObjectHolder(int ProcessId, string Command)
{
    /// <summary>bpftool's form: "NAME(PID)".</summary>
    public override string ToString() => $"{Command}({ProcessId})";
}
