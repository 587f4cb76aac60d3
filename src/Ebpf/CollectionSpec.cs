using System.Collections.Immutable;
using Ebpf.Btf;
using Ebpf.Loader;

namespace Ebpf;

/// <summary>
/// Everything a BPF object file (clang <c>-target bpf</c> output) defines: its programs, linked and relocated as
/// libbpf does it, and its maps, including the global data maps libbpf creates. Pure data, deterministic for the
/// given bytes and options; the kernel and VM backends load it.
/// </summary>
/// <remarks>
/// Malformed objects raise <see cref="ObjectFormatException"/> or one of its subclasses
/// (<see cref="Elf.ElfFormatException"/>, <see cref="BtfFormatException"/>, <see cref="ObjectRelocationException"/>,
/// <see cref="CoRe.CoReException"/>) naming the section, offset and symbol; no other exception type escapes
/// the readers except <see cref="IOException"/> from <see cref="LoadFile(string, CollectionLoadOptions?)"/>.
/// </remarks>
public sealed record CollectionSpec
{
    /// <summary>The object name (file name up to its first '.'), which prefixes global data map names.</summary>
    public required string ObjectName { get; init; }

    /// <summary>The entry-point programs, in libbpf's order (section index, then offset).</summary>
    public required ImmutableArray<ProgramSpec> Programs { get; init; }

    /// <summary>The maps: <c>.maps</c> and legacy definitions, then global data maps in section order, then <c>.kconfig</c>.</summary>
    public required ImmutableArray<MapSpec> Maps { get; init; }

    /// <summary>
    /// The object's BTF (<c>.BTF</c>), or null when it has none; as libbpf holds it after open, data sections' DATASECs
    /// carry their sizes and variable offsets (clang leaves them 0).
    /// </summary>
    public BtfSpec? Btf { get; init; }

    /// <summary>The <c>license</c> section's string ("" when absent).</summary>
    public string License { get; init; } = "";

    /// <summary>The <c>version</c> section's value, 0 when absent.</summary>
    public uint KernelVersion { get; init; }

    /// <summary>
    /// This spec with every CO-RE relocation and typed <c>__ksym</c> left open at read time (see
    /// <see cref="ProgramSpec.HasPendingCoRe"/>) resolved against <paramref name="targetBtf"/>, a kernel's BTF: the
    /// result equals reading the object with <see cref="CollectionLoadOptions.TargetBtf"/> set. A spec without pending
    /// references is returned as it is; other edits made to it are kept.
    /// </summary>
    /// <exception cref="CoRe.CoReException">A relocation cannot be resolved against the target (names the section, offset, type and access).</exception>
    /// <exception cref="ObjectRelocationException">A non-weak ksym is missing from the target.</exception>
    public CollectionSpec ResolveKernelReferences(BtfSpec targetBtf)
    {
        ArgumentNullException.ThrowIfNull(targetBtf);
        return KernelReferenceResolver.Resolve(this, targetBtf);
    }

    /// <summary>Reads the object at <paramref name="path"/>; the object name defaults to the file name up to its first '.'.</summary>
    /// <exception cref="ObjectFormatException">The object is malformed or cannot be linked.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CollectionSpec LoadFile(string path, CollectionLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] image = File.ReadAllBytes(path);
        options ??= new CollectionLoadOptions();
        string name = options.ObjectName ?? ObjectNameFromPath(path);
        return ObjectReader.Read(image, name, options);
    }

    /// <summary>Reads an object from <paramref name="stream"/> (to its end).</summary>
    /// <exception cref="ObjectFormatException">The object is malformed or cannot be linked.</exception>
    public static CollectionSpec Load(Stream stream, CollectionLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Load(buffer.ToArray(), options);
    }

    /// <summary>Reads an object from its bytes (not copied: do not change them afterwards).</summary>
    /// <exception cref="ObjectFormatException">The object is malformed or cannot be linked.</exception>
    public static CollectionSpec Load(byte[] image, CollectionLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= new CollectionLoadOptions();
        return ObjectReader.Read(image, options.ObjectName ?? "bpf_object", options);
    }

    /// <summary>libbpf's object name: the file name up to its first '.', at most 63 bytes.</summary>
    public static string ObjectNameFromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileName(path);
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0) name = name[..dot];
        return name.Length > 63 ? name[..63] : name;
    }

    /// <summary>The program named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is none.</exception>
    public ProgramSpec GetProgram(string name) =>
        TryGetProgram(name, out ProgramSpec? p) ? p : throw new KeyNotFoundException($"object '{ObjectName}' has no program '{name}'");

    /// <summary>Finds the program named <paramref name="name"/>.</summary>
    public bool TryGetProgram(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProgramSpec? program)
    {
        foreach (ProgramSpec p in Programs)
            if (p.Name == name) { program = p; return true; }
        program = null;
        return false;
    }

    /// <summary>The map named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is none.</exception>
    public MapSpec GetMap(string name) =>
        TryGetMap(name, out MapSpec? m) ? m : throw new KeyNotFoundException($"object '{ObjectName}' has no map '{name}'");

    /// <summary>Finds the map named <paramref name="name"/>.</summary>
    public bool TryGetMap(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MapSpec? map)
    {
        foreach (MapSpec m in Maps)
            if (m.Name == name) { map = m; return true; }
        map = null;
        return false;
    }
}
