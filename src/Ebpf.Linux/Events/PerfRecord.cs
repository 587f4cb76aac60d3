namespace Ebpf.Linux.Events;

/// <summary>
/// One sample of a perf buffer. <see cref="Data"/> is valid until the next read from (or dispose of) the reader that
/// returned it.
/// </summary>
public readonly ref struct PerfRecord
{
    internal PerfRecord(int cpu, ReadOnlySpan<byte> data)
    {
        Cpu = cpu;
        Data = data;
    }

    /// <summary>The CPU whose ring held the sample.</summary>
    public int Cpu { get; }

    /// <summary>The raw sample bytes (padded by the kernel so that 4 + length is a multiple of 8).</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Reads the sample as a <typeparamref name="T"/> (copying it).</summary>
    /// <exception cref="InvalidDataException">The sample is shorter than <typeparamref name="T"/>.</exception>
    public unsafe T Read<T>() where T : unmanaged =>
        Data.Length >= sizeof(T)
            ? System.Runtime.InteropServices.MemoryMarshal.Read<T>(Data)
            : throw new InvalidDataException($"a {Data.Length}-byte perf sample is too short for {typeof(T).Name} ({sizeof(T)} bytes)");
}
