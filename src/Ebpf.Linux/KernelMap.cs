using System.Text;
using Ebpf.Linux.Features;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// A map living in the kernel, owned through <see cref="Handle"/>. Raw-byte operations work for every map type; the
/// generic ones (<c>TryLookup&lt;TKey, TValue&gt;</c>, <see cref="As{TKey, TValue}"/>) check once
/// that the struct sizes match the map's. Disposing closes this process's fd; the map lives on while pinned or used
/// by a program.
/// </summary>
/// <remarks>Per-CPU maps (<see cref="IsPerCpu"/>) hold one value per possible CPU: use the <c>PerCpu</c> methods, or raw
/// buffers of <see cref="ValueBufferSize"/> bytes.</remarks>
public sealed partial class KernelMap : IDisposable
{
    private uint _id;

    private KernelMap(SafeBpfHandle handle, MapType type, int keySize, int valueSize, int maxEntries, MapFlags flags, string name, uint id)
    {
        Handle = handle;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Flags = flags;
        Name = name;
        _id = id;
        IsPerCpu = type is MapType.PerCpuHash or MapType.PerCpuArray or MapType.LruPerCpuHash or MapType.PerCpuCgroupStorage;
        ValueStride = IsPerCpu ? (valueSize + 7) & ~7 : valueSize;
        ValueBufferSize = IsPerCpu ? ValueStride * PossibleCpus.Count : valueSize;
    }

    /// <summary>The map's fd.</summary>
    public SafeBpfHandle Handle { get; }

    /// <summary>The map's type.</summary>
    public MapType Type { get; }

    /// <summary>Key size in bytes.</summary>
    public int KeySize { get; }

    /// <summary>Value size in bytes (of one CPU's value for per-CPU maps).</summary>
    public int ValueSize { get; }

    /// <summary>Maximum number of elements.</summary>
    public int MaxEntries { get; }

    /// <summary>Creation flags.</summary>
    public MapFlags Flags { get; }

    /// <summary>The name the kernel holds (at most 15 characters).</summary>
    public string Name { get; }

    /// <summary>True for maps with one value per possible CPU (per-CPU hash and array, LRU per-CPU hash, per-CPU cgroup storage).</summary>
    public bool IsPerCpu { get; }

    /// <summary>Bytes a raw lookup writes for one element: <see cref="ValueSize"/>, or for per-CPU maps the value rounded up
    /// to 8 bytes times <see cref="PossibleCpus.Count"/>.</summary>
    public int ValueBufferSize { get; }

    /// <summary>Distance between two CPUs' values in a per-CPU buffer (the value size rounded up to 8), else the value size.</summary>
    public int ValueStride { get; }

    /// <summary>The kernel's id of the map (BPF_OBJ_GET_INFO_BY_FD, read once).</summary>
    public uint Id => _id != 0 ? _id : _id = MapInfo.Get(Handle, Describe()).Id;

    /// <summary>Creates a map.</summary>
    /// <exception cref="ArgumentException">A bad name, or options the kernel would misread.</exception>
    /// <exception cref="KernelFeatureMissingException">The kernel lacks the map type or a flag.</exception>
    /// <exception cref="UnauthorizedAccessException">No CAP_BPF.</exception>
    /// <exception cref="BpfException">The kernel refused (E2BIG, EINVAL, ENOMEM...), with the map named in the message.</exception>
    public static unsafe KernelMap Create(MapCreateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.KeySize);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ValueSize);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxEntries);
        Libc.TryRaiseMemlockLimit();
        string name = ObjectName.Validate(options.Name, nameof(options));
        var attr = new MapCreateAttr
        {
            MapType = (uint)options.Type,
            KeySize = (uint)options.KeySize,
            ValueSize = (uint)options.ValueSize,
            MaxEntries = (uint)options.MaxEntries,
            MapFlags = (uint)(options.Flags | (options.NumaNode is null ? 0 : MapFlags.NumaNode)),
            NumaNode = (uint)(options.NumaNode ?? 0),
            MapIfindex = (uint)options.Ifindex,
            BtfKeyTypeId = (uint)options.BtfKeyTypeId,
            BtfValueTypeId = (uint)options.BtfValueTypeId,
            BtfVmlinuxValueTypeId = (uint)options.BtfVmlinuxValueTypeId,
            MapExtra = options.MapExtra,
        };
        ObjectName.Write(name, attr.MapName);
        using var inner = FdLease.Optional(options.InnerMap?.Handle, out attr.InnerMapFd);
        using var btf = FdLease.Optional(options.Btf, out attr.BtfFd);
        int r = Bpf.Invoke(BpfCommand.MapCreate, ref attr);
        string subject = name.Length > 0 ? $"'{name}' ({options.Type})" : $"of type {options.Type}";
        if (r == -(int)Errno.EINVAL && !Ebpf.Linux.Features.KernelFeatures.MapType(options.Type).IsSupported)
            throw new KernelFeatureMissingException(KernelNames.Of(options.Type), $"create map {subject}: {Errno.EINVAL.Describe()}");
        var handle = BpfErrors.CheckFd(r, "create map", subject);
        return new KernelMap(handle, options.Type, options.KeySize, options.ValueSize, options.MaxEntries, options.Flags, name, 0);
    }

    /// <summary>Creates a map of <paramref name="type"/> with the given sizes.</summary>
    /// <inheritdoc cref="Create(MapCreateOptions)"/>
    public static KernelMap Create(MapType type, int keySize, int valueSize, int maxEntries, string name = "", MapFlags flags = MapFlags.None) =>
        Create(new MapCreateOptions { Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Name = name, Flags = flags });

    /// <summary>Takes ownership of <paramref name="handle"/>, an fd of a map, reading its properties from the kernel.</summary>
    /// <exception cref="BpfException">The fd is not a BPF map.</exception>
    public static KernelMap FromHandle(SafeBpfHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        MapInfo info = MapInfo.Get(handle, $"map {handle}");
        return new KernelMap(handle, info.Type, info.KeySize, info.ValueSize, info.MaxEntries, info.Flags, info.Name, info.Id);
    }

    /// <summary>Closes this process's fd of the map.</summary>
    public void Dispose() => Handle.Dispose();

    /// <summary>The map's name and type, for messages.</summary>
    public override string ToString() => $"{Type} map '{Name}'";

    internal string Describe() => Name.Length > 0 ? $"'{Name}'" : $"({Type}, {Handle})";

    /// <summary>Looks up a key, writing the value's bytes into <paramref name="value"/>.</summary>
    /// <param name="key">Exactly <see cref="KeySize"/> bytes (empty for queue, stack and bloom filter).</param>
    /// <param name="value">At least <see cref="ValueBufferSize"/> bytes.</param>
    /// <param name="flags">Lookup flags.</param>
    /// <returns>False when the key is absent (or, for queue and stack, the map is empty).</returns>
    public unsafe bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value, MapLookupFlags flags = MapLookupFlags.None)
    {
        CheckKey(key.Length);
        CheckValue(value.Length);
        fixed (byte* k = key, v = value)
            return ElementOp(BpfCommand.MapLookupElem, KeySize == 0 ? null : k, v, (ulong)flags, "lookup in map");
    }

    /// <summary>Creates or replaces an element.</summary>
    /// <param name="key">Exactly <see cref="KeySize"/> bytes (empty for queue, stack and bloom filter, where this pushes).</param>
    /// <param name="value">Exactly <see cref="ValueBufferSize"/> bytes (for fd-holding maps, the fd of the object to store).</param>
    /// <param name="flags">Whether the element may or must exist.</param>
    /// <exception cref="BpfException">EEXIST / ENOENT against <paramref name="flags"/>, E2BIG (full), EINVAL...</exception>
    public unsafe void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        CheckKey(key.Length);
        if (value.Length != ValueBufferSize) throw new ArgumentException($"map {Describe()} takes {ValueBufferSize}-byte values, got {value.Length}", nameof(value));
        fixed (byte* k = key, v = value)
            ThrowUnlessFound(ElementOp(BpfCommand.MapUpdateElem, KeySize == 0 ? null : k, v, (ulong)flags, "update in map"), "update in map");
    }

    /// <summary>Deletes an element; false when it was absent.</summary>
    /// <param name="key">Exactly <see cref="KeySize"/> bytes.</param>
    public unsafe bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key.Length);
        fixed (byte* k = key)
            return ElementOp(BpfCommand.MapDeleteElem, k, null, 0, "delete from map");
    }

    /// <summary>Looks up and deletes an element (for queue and stack, with an empty key: pops); false when absent.</summary>
    /// <param name="key">Exactly <see cref="KeySize"/> bytes.</param>
    /// <param name="value">At least <see cref="ValueBufferSize"/> bytes.</param>
    /// <param name="flags">Lookup flags.</param>
    public unsafe bool TryLookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value, MapLookupFlags flags = MapLookupFlags.None)
    {
        CheckKey(key.Length);
        CheckValue(value.Length);
        fixed (byte* k = key, v = value)
            return ElementOp(BpfCommand.MapLookupAndDeleteElem, KeySize == 0 ? null : k, v, (ulong)flags, "lookup and delete in map");
    }

    /// <summary>The key after <paramref name="key"/> (the first key when <paramref name="key"/> is empty); false at the end.</summary>
    /// <remarks>When <paramref name="key"/> was deleted meanwhile, hash maps restart from their first key.</remarks>
    public unsafe bool TryGetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (key.Length != 0) CheckKey(key.Length);
        if (nextKey.Length < KeySize) throw new ArgumentException($"map {Describe()} has {KeySize}-byte keys, the buffer has {nextKey.Length}", nameof(nextKey));
        fixed (byte* k = key, n = nextKey)
            return ElementOp(BpfCommand.MapGetNextKey, key.Length == 0 ? null : k, n, 0, "get next key of map");
    }

    /// <summary>Makes the map read-only for the syscall side (programs may still write), for good (Linux 5.2+).</summary>
    public void Freeze()
    {
        var attr = new MapElemAttr();
        using var fd = Handle.Lease(out attr.MapFd);
        BpfErrors.Check(Bpf.Invoke(BpfCommand.MapFreeze, ref attr), "freeze map", Describe());
    }

    /// <summary>Runs an element command; true on success, false on ENOENT, throws otherwise.</summary>
    internal unsafe bool ElementOp(BpfCommand command, void* key, void* value, ulong flags, string operation)
    {
        var attr = new MapElemAttr { Key = Bpf.Ptr(key), Value = Bpf.Ptr(value), Flags = flags };
        int r;
        using (Handle.Lease(out attr.MapFd))
            r = Bpf.Invoke(command, ref attr);
        if (r >= 0) return true;
        // An absent key is an answer, not an error; so is an empty queue or stack... except to an update, where
        // ENOENT means BPF_EXIST found nothing: the caller decides (ThrowUnlessFound).
        if (r == -(int)Errno.ENOENT) return false;
        throw BpfErrors.Create((Errno)(-r), operation, Describe());
    }

    internal void ThrowUnlessFound(bool found, string operation)
    {
        if (!found) throw BpfErrors.Create(Errno.ENOENT, operation, $"{Describe()} (BPF_EXIST and the key is absent)");
    }

    private void CheckKey(int length)
    {
        if (length != KeySize) throw new ArgumentException($"map {Describe()} has {KeySize}-byte keys, got {length}", "key");
    }

    private void CheckValue(int length)
    {
        if (length < ValueBufferSize)
            throw new ArgumentException($"map {Describe()} needs a {ValueBufferSize}-byte value buffer{(IsPerCpu ? $" ({PossibleCpus.Count} CPUs x {ValueStride})" : "")}, got {length}", "value");
    }
}
