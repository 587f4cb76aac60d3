namespace Ebpf;

/// <summary>
/// A loaded program, as both backends offer it: kernel programs (<c>Ebpf.Linux.KernelProgram</c>) and programs of the
/// userspace VM. Control-plane code written against it runs unchanged on either, e.g. a test that feeds packets to a
/// program in the VM and the same code that checks the kernel's verdict in production.
/// </summary>
public interface IProgram
{
    /// <summary>The program's name (the kernel keeps at most 15 characters).</summary>
    string Name { get; }

    /// <summary>The program's type, which decides its context and what <see cref="TestRun"/> feeds it.</summary>
    ProgramType Type { get; }

    /// <summary>
    /// Runs the program on <paramref name="data"/> the way <c>BPF_PROG_TEST_RUN</c> does (for packet programs: the
    /// packet, with the context built around it) without allocating, and returns its return value.
    /// </summary>
    /// <param name="data">The input (a packet for XDP, TC and socket programs).</param>
    /// <param name="dataOut">Room for the data as the program left it.</param>
    /// <param name="dataOutLength">Bytes of <paramref name="dataOut"/> written.</param>
    /// <param name="duration">Mean duration of one run.</param>
    /// <param name="repeat">How many runs to average <paramref name="duration"/> over.</param>
    uint TestRun(ReadOnlySpan<byte> data, Span<byte> dataOut, out int dataOutLength, out TimeSpan duration, int repeat = 1);
}
