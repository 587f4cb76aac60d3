namespace Ebpf.Loader;

/// <summary>BPF_F_* flags of BPF_PROG_LOAD that section names imply.</summary>
public static class ProgramFlags
{
    /// <summary>BPF_F_SLEEPABLE (1 &lt;&lt; 4): the program may sleep (<c>.s</c> sections).</summary>
    public const uint Sleepable = 1u << 4;

    /// <summary>BPF_F_XDP_HAS_FRAGS (1 &lt;&lt; 5): the XDP program handles multi-buffer packets (<c>xdp.frags</c>).</summary>
    public const uint XdpHasFrags = 1u << 5;
}
