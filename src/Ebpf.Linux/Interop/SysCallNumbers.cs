using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

/// <summary>System call numbers this backend uses, per architecture (they differ between ABIs).</summary>
internal static class SysCallNumbers
{
    /// <summary>bpf(2).</summary>
    internal static readonly long Bpf = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.X86 => 357,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 280,
        Architecture.Arm => 386,
        Architecture.S390x => 351,
        Architecture.Ppc64le => 361,
        var other => throw new PlatformNotSupportedException($"bpf(2) syscall number unknown for {other}"),
    };

    /// <summary>pidfd_open(2): the same number on every architecture (added after the syscall tables were unified).</summary>
    internal const long PidfdOpen = 434;
}
