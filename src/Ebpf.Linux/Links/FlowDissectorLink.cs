namespace Ebpf.Linux.Links;

/// <summary>
/// A flow dissector program on a network namespace (BPF_LINK_CREATE with BPF_FLOW_DISSECTOR on the namespace fd;
/// Linux 5.8+): it replaces the kernel's C dissector for the namespace's packets (RPS, flow hashing, tc flower) and
/// BPF_PROG_TEST_RUN. A namespace has at most one; disposing restores the kernel's dissector.
/// </summary>
public sealed class FlowDissectorLink : Link
{
    private FlowDissectorLink(SafeBpfHandle handle, string netnsPath) : base(handle) => NetnsPath = netnsPath;

    /// <summary>The namespace file the link was created on.</summary>
    public string NetnsPath { get; }

    /// <summary>Attaches <paramref name="program"/> (a FlowDissector program) to a network namespace.</summary>
    /// <param name="program">The program.</param>
    /// <param name="netnsPath">A namespace file; by default the calling thread's namespace.</param>
    /// <exception cref="KernelFeatureMissingException">The kernel has no netns links (before 5.8).</exception>
    /// <exception cref="BpfException">EEXIST: the namespace (or the root namespace, which overrides all) has a flow dissector.</exception>
    public static FlowDissectorLink Attach(KernelProgram program, string netnsPath = NetnsLinks.CurrentThread)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.FlowDissector) throw new ArgumentException($"{program} is not a FlowDissector program", nameof(program));
        return new FlowDissectorLink(NetnsLinks.Create(program, netnsPath, AttachType.FlowDissector, "flow dissector"), netnsPath);
    }

    /// <inheritdoc/>
    public override string ToString() => $"flow dissector link on {NetnsPath} ({Handle})";
}
