namespace Ebpf.Linux;

/// <summary>How <see cref="KernelCollection.Load"/> loads a <see cref="CollectionSpec"/>.</summary>
public sealed record KernelCollectionOptions
{
    /// <summary>The default options.</summary>
    public static KernelCollectionOptions Default { get; } = new();

    /// <summary>Verifier log level for every program (a failed load always retries with a full log).</summary>
    public VerifierLogLevel LogLevel { get; init; }

    /// <summary>
    /// Where maps with <c>pinning = LIBBPF_PIN_BY_NAME</c> live: an existing compatible pin is reused, a new map is
    /// pinned there (libbpf's default is /sys/fs/bpf).
    /// </summary>
    public string PinPath { get; init; } = "/sys/fs/bpf";

    /// <summary>Load the object's BTF into the kernel and pass it with maps and programs (func and line info).</summary>
    public bool LoadBtf { get; init; } = true;
}
