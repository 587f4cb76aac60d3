namespace Ebpf.Testing;

/// <summary>How much work the volume tests do: the full count on the host, less in slow emulated guests.</summary>
public static class TestScale
{
    /// <summary>True when the kernel matrix runs the tests (EBPF_NET_MATRIX=1, slow QEMU guests).</summary>
    public static bool IsMatrix => Environment.GetEnvironmentVariable("EBPF_NET_MATRIX") == "1";

    /// <summary>How many events the producer/consumer tests emit: 1,000,000 on the host, 100,000 in the matrix.</summary>
    public static int Events => IsMatrix ? 100_000 : 1_000_000;
}
