namespace Ebpf.Linux;

/// <summary>Input of BPF_PROG_TEST_RUN: the packet (or other data) and context a program runs on.</summary>
public sealed record TestRunOptions
{
    /// <summary>The data: a packet for XDP, TC, socket filter, flow dissector and LWT programs.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Room for the data the program leaves behind; default: the input's size plus 4 KiB (programs may grow a packet).</summary>
    public int? DataOutSize { get; init; }

    /// <summary>The context (struct xdp_md, __sk_buff, the arguments of a raw tracepoint or syscall program...).</summary>
    public ReadOnlyMemory<byte> Context { get; init; }

    /// <summary>Room for the context after the run; default: the input context's size.</summary>
    public int? ContextOutSize { get; init; }

    /// <summary>How many times to run (the reported duration is the mean); 0 counts as 1. Syscall programs run once.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>BPF_F_TEST_* flags (1: run on <see cref="Cpu"/>, 2: XDP live frames, 4: skb checksum complete).</summary>
    public uint Flags { get; init; }

    /// <summary>The CPU to run on, with flag BPF_F_TEST_RUN_ON_CPU.</summary>
    public int Cpu { get; init; }

    /// <summary>Frames per batch with XDP live frames.</summary>
    public int BatchSize { get; init; }
}

/// <summary>Output of BPF_PROG_TEST_RUN.</summary>
public sealed record TestRunResult
{
    /// <summary>The program's return value (XDP action, TC verdict...).</summary>
    public required uint ReturnValue { get; init; }

    /// <summary>Mean duration of one run, as the kernel measured it (nanosecond resolution).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The data after the run (the packet as the program left it).</summary>
    public required byte[] Data { get; init; }

    /// <summary>The context after the run.</summary>
    public required byte[] Context { get; init; }
}
