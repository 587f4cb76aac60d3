using System.Numerics;

namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_BLOOM_FILTER as kernel/bpf/bloom_filter.c sizes and hashes it: map_extra's low 4 bits hash functions
/// (5 when 0), a power-of-two bit array of about max_entries x functions x 7/5 bits, jhash of the value with the seed
/// plus the function index. Pushing sets bits; peeking answers 0 (maybe present) or ENOENT (surely absent). With seed
/// 0 (BPF_F_ZERO_SEED) the bits, and so every answer, are the kernel's.
/// </summary>
internal sealed unsafe class VmBloomFilterMap : VmMap
{
    private readonly ulong[] _bits;
    private readonly uint _mask, _seed, _functions;

    public VmBloomFilterMap(MapSpec spec, VmMapOptions options) : base(spec, options)
    {
        if (spec.KeySize != 0) throw VmMapFactory.Invalid(spec, $"key_size must be 0 (is {spec.KeySize})");
        if (spec.ValueSize == 0) throw VmMapFactory.Invalid(spec, "value_size must not be 0");
        if (spec.MaxEntries == 0) throw VmMapFactory.Invalid(spec, "max_entries must not be 0");
        if (spec.MapExtra > 0xF) throw VmMapFactory.Invalid(spec, $"map_extra {spec.MapExtra} has bits above the hash function count (0-15)");
        _functions = spec.MapExtra == 0 ? 5u : (uint)spec.MapExtra;
        _seed = (spec.Flags & MapFlagBits.ZeroSeed) != 0 ? 0 : options.HashSeed;
        ulong bits = (ulong)spec.MaxEntries * _functions;
        bits = bits / 5 * 7;
        if (bits > 1UL << 31)
        {
            _mask = uint.MaxValue;
            bits = 1UL << 32;
        }
        else
        {
            bits = bits <= 64 ? 64 : BitOperations.RoundUpToPowerOf2(bits);
            _mask = (uint)(bits - 1);
        }
        _bits = new ulong[bits / 64];
    }

    internal override (IntPtr Start, long Length) ValueStorage => (IntPtr.Zero, 0);

    internal override byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu) => null;

    internal override MapResult UpdateFromProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu) => Push(value, flags);

    internal override MapResult DeleteFromProgram(ReadOnlySpan<byte> key) => MapResult.NotSupported;

    /// <summary>bpf_map_push_elem: sets the value's bits (flags must be BPF_ANY).</summary>
    public MapResult Push(ReadOnlySpan<byte> value, MapUpdateFlags flags)
    {
        if (flags != MapUpdateFlags.Any) return MapResult.Invalid;
        for (uint i = 0; i < _functions; i++)
        {
            uint bit = Hash(value, i);
            Interlocked.Or(ref _bits[bit >> 6], 1UL << (int)(bit & 63));
        }
        return MapResult.Ok;
    }

    /// <summary>bpf_map_peek_elem: whether every bit of the value is set.</summary>
    public MapResult Peek(ReadOnlySpan<byte> value)
    {
        for (uint i = 0; i < _functions; i++)
        {
            uint bit = Hash(value, i);
            if ((Volatile.Read(ref _bits[bit >> 6]) & (1UL << (int)(bit & 63))) == 0) return MapResult.NotFound;
        }
        return MapResult.Ok;
    }

    // The syscall's lookup peeks with the value buffer as input.
    private protected override MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value) => Peek(value);

    private protected override MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => Push(value, flags);

    private protected override MapResult DeleteCore(ReadOnlySpan<byte> key) => MapResult.NotSupported;

    private protected override MapResult LookupAndDeleteCore(ReadOnlySpan<byte> key, Span<byte> value) => MapResult.NotSupported;

    private protected override MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey) => MapResult.NotSupported;

    protected override void Dispose(bool disposing) { }

    private uint Hash(ReadOnlySpan<byte> value, uint index)
    {
        ReadOnlySpan<byte> v = value[..ValueSize];
        uint h = ValueSize % 4 == 0 ? JHash.Words(v, _seed + index) : JHash.Bytes(v, _seed + index);
        return h & _mask;
    }
}
