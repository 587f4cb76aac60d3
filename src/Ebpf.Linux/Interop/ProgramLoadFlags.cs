namespace Ebpf.Linux;

/// <summary>Flags of BPF_PROG_LOAD (<c>prog_flags</c>).</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's own word for this field
public enum ProgramLoadFlags : uint
#pragma warning restore CA1711
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>BPF_F_STRICT_ALIGNMENT: verify alignment as if unaligned access were expensive.</summary>
    StrictAlignment = 1 << 0,
    /// <summary>BPF_F_ANY_ALIGNMENT: skip alignment checks (tests only).</summary>
    AnyAlignment = 1 << 1,
    /// <summary>BPF_F_TEST_RND_HI32: randomise the upper halves of 32-bit results (verifier tests).</summary>
    TestRandomHi32 = 1 << 2,
    /// <summary>BPF_F_TEST_STATE_FREQ: checkpoint verifier state often (verifier tests).</summary>
    TestStateFrequency = 1 << 3,
    /// <summary>BPF_F_SLEEPABLE: the program may sleep (fentry/fexit/LSM/uprobe, Linux 5.10+).</summary>
    Sleepable = 1 << 4,
    /// <summary>BPF_F_XDP_HAS_FRAGS: an XDP program that handles multi-buffer packets (Linux 5.18+).</summary>
    XdpHasFrags = 1 << 5,
    /// <summary>BPF_F_XDP_DEV_BOUND_ONLY: bound to the device given by ifindex, not offloaded (Linux 6.3+).</summary>
    XdpDeviceBoundOnly = 1 << 6,
}
