namespace Ebpf.Linux.Links;

/// <summary>
/// An sk_lookup program on a network namespace (BPF_LINK_CREATE with BPF_SK_LOOKUP; Linux 5.9+). It runs when the
/// kernel looks for the socket of a new TCP connection or UDP datagram and may pick one with bpf_sk_assign (usually
/// from a sockmap), e.g. to serve many ports or addresses with one listener. Several links run in order.
/// </summary>
public sealed class SkLookupLink : Link
{
    private SkLookupLink(SafeBpfHandle handle, string netnsPath) : base(handle) => NetnsPath = netnsPath;

    /// <summary>The namespace file the link was created on.</summary>
    public string NetnsPath { get; }

    /// <summary>Attaches <paramref name="program"/> (an SkLookup program) to a network namespace.</summary>
    /// <param name="program">The program.</param>
    /// <param name="netnsPath">A namespace file; by default the calling thread's namespace.</param>
    /// <exception cref="KernelFeatureMissingException">The kernel has no netns links or sk_lookup (before 5.9).</exception>
    public static SkLookupLink Attach(KernelProgram program, string netnsPath = NetnsLinks.CurrentThread)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.SkLookup) throw new ArgumentException($"{program} is not an SkLookup program", nameof(program));
        return new SkLookupLink(NetnsLinks.Create(program, netnsPath, AttachType.SkLookup, "sk_lookup"), netnsPath);
    }

    /// <inheritdoc/>
    public override string ToString() => $"sk_lookup link on {NetnsPath} ({Handle})";
}
