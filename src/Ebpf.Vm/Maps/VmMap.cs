namespace Ebpf.Vm.Maps;

/// <summary>
/// A map of the userspace VM, with the kernel's semantics for its type: the same sizes, flags, limits, error
/// results and iteration rules as the kernel map a <see cref="MapSpec"/> creates. The byte-level API here is the
/// syscall side (what <c>bpf(BPF_MAP_*_ELEM)</c> does); <see cref="As{TKey, TValue}"/> gives the typed
/// <see cref="IMap{TKey, TValue}"/> control planes share with kernel maps. Safe for concurrent use by programs and
/// host threads. Values live in native memory that never moves, so a value pointer a program got from a lookup
/// stays valid for the map's life.
/// </summary>
public abstract unsafe class VmMap : IDisposable
{
    private protected VmMap(MapSpec spec, VmMapOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.CpuCount, nameof(options));
        Spec = spec;
        CpuCount = IsPerCpu(spec.Type) ? options.CpuCount : 1;
        ValueStride = (int)((spec.ValueSize + 7) & ~7u);
    }

    /// <summary>The spec the map was created from.</summary>
    public MapSpec Spec { get; }

    /// <summary>The map's name.</summary>
    public string Name => Spec.Name;

    /// <summary>The map's type.</summary>
    public MapType Type => Spec.Type;

    /// <summary>Bytes of a key (0 for queue, stack and bloom filter).</summary>
    public int KeySize => (int)Spec.KeySize;

    /// <summary>Bytes of a value as a program sees it.</summary>
    public int ValueSize => (int)Spec.ValueSize;

    /// <summary>The maximum number of elements.</summary>
    public int MaxEntries => (int)Spec.MaxEntries;

    /// <summary>CPUs a per-CPU map keeps a value for; 1 for the others.</summary>
    public int CpuCount { get; }

    /// <summary>A value rounded up to 8 bytes: the distance between per-CPU values, as the kernel lays them out.</summary>
    public int ValueStride { get; }

    /// <summary>
    /// Bytes of a value on the host side: <see cref="ValueSize"/>, or for per-CPU maps one
    /// <see cref="ValueStride"/> per CPU, as <c>bpf()</c> exchanges them.
    /// </summary>
    public int HostValueSize => CpuCount == 1 && !IsPerCpu(Type) ? ValueSize : CpuCount * ValueStride;

    /// <summary>Whether the host side may no longer write (<c>.rodata</c> and <c>.kconfig</c> after load, as the kernel freezes them).</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>Whether programs may only read values (<c>.rodata</c>: BPF_F_RDONLY_PROG).</summary>
    public bool IsReadOnlyToPrograms => (Spec.Flags & MapFlagBits.ReadOnlyProgram) != 0;

    /// <summary>Whether <paramref name="type"/> keeps one value per CPU.</summary>
    public static bool IsPerCpu(MapType type) => type is MapType.PerCpuArray or MapType.PerCpuHash or MapType.LruPerCpuHash;

    /// <summary>Looks <paramref name="key"/> up into <paramref name="value"/> (<see cref="HostValueSize"/> bytes).</summary>
    public MapResult Lookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        CheckValue(value.Length);
        return LookupCore(key, value);
    }

    /// <summary>Creates or replaces the element for <paramref name="key"/> as <paramref name="flags"/> allow (queue/stack/bloom: pushes).</summary>
    public MapResult Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        CheckKey(key);
        CheckValue(value.Length);
        if (IsFrozen) return MapResult.NotPermitted;
        return UpdateCore(key, value, flags);
    }

    /// <summary>Deletes the element for <paramref name="key"/>.</summary>
    public MapResult Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        if (IsFrozen) return MapResult.NotPermitted;
        return DeleteCore(key);
    }

    /// <summary>Looks up and deletes <paramref name="key"/> in one step (queue/stack: pops).</summary>
    public MapResult LookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        CheckValue(value.Length);
        if (IsFrozen) return MapResult.NotPermitted;
        return LookupAndDeleteCore(key, value);
    }

    /// <summary>
    /// The key after <paramref name="key"/> in the map's own order (the first key for an empty
    /// <paramref name="key"/>), <see cref="MapResult.NotFound"/> after the last.
    /// </summary>
    public MapResult GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty) CheckKey(key);
        if (nextKey.Length < KeySize) throw new ArgumentException($"map '{Name}' has {KeySize}-byte keys, the buffer has {nextKey.Length}", nameof(nextKey));
        return GetNextKeyCore(key, nextKey[..KeySize]);
    }

    /// <summary>Refuses host-side writes from now on, as BPF_MAP_FREEZE does (programs may still write unless read-only to them).</summary>
    public void Freeze() => IsFrozen = true;

    /// <summary>A typed view implementing <see cref="IMap{TKey, TValue}"/> (it shares this map).</summary>
    /// <exception cref="ArgumentException">The struct sizes differ from the map's key and host value sizes.</exception>
    public VmMap<TKey, TValue> As<TKey, TValue>() where TKey : unmanaged where TValue : unmanaged => new(this);

    /// <summary>Frees the map's memory; programs must no longer run against it.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees native storage.</summary>
    protected abstract void Dispose(bool disposing);

    /// <summary>
    /// The program side of a lookup: a pointer to this CPU's value inside the map's storage, or null. No copy and
    /// no allocation: what <c>bpf_map_lookup_elem</c> returns to a program.
    /// </summary>
    internal abstract byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu);

    /// <summary>The program side of an update: <paramref name="value"/> is one CPU's value (<see cref="ValueSize"/> bytes).</summary>
    internal virtual MapResult UpdateFromProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu) =>
        CpuCount == 1 && !IsPerCpu(Type) ? UpdateCore(key, value, flags) : MapResult.Invalid;

    /// <summary>The program side of a delete.</summary>
    internal virtual MapResult DeleteFromProgram(ReadOnlySpan<byte> key) => DeleteCore(key);

    /// <summary>The native storage of the values, which a run maps as one region for the program's value pointers.</summary>
    internal abstract (IntPtr Start, long Length) ValueStorage { get; }

    private protected abstract MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value);

    private protected abstract MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags);

    private protected abstract MapResult DeleteCore(ReadOnlySpan<byte> key);

    private protected virtual MapResult LookupAndDeleteCore(ReadOnlySpan<byte> key, Span<byte> value) => MapResult.NotSupported;

    private protected abstract MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey);

    private protected void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"map '{Name}' has {KeySize}-byte keys, got {key.Length}", nameof(key));
    }

    private protected void CheckValue(int length)
    {
        if (length != HostValueSize)
            throw new ArgumentException(CpuCount > 1
                ? $"map '{Name}' takes {HostValueSize}-byte values ({CpuCount} CPUs x {ValueStride}), got {length}"
                : $"map '{Name}' takes {ValueSize}-byte values, got {length}", "value");
    }

    /// <summary>The value index of <paramref name="cpu"/>: 0 for maps with one value, else the CPU modulo <see cref="CpuCount"/>.</summary>
    private protected int CpuIndex(int cpu) => CpuCount == 1 ? 0 : (int)((uint)cpu % (uint)CpuCount);

    private protected static bool ValidUpdateFlags(MapUpdateFlags flags) => (flags & ~MapUpdateFlags.Lock) <= MapUpdateFlags.Exist;

    private protected static string Describe(MapSpec spec) => $"'{spec.Name}' ({spec.Type})";
}
