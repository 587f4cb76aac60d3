namespace Ebpf;

/// <summary>
/// The outcome of a map operation as the kernel reports it, shared by both backends: the value is the errno the
/// kernel's <c>bpf()</c> (or a helper called by a program) answers, negated by helpers (<c>-ENOENT</c>).
/// </summary>
public enum MapResult
{
    /// <summary>Done.</summary>
    Ok = 0,
    /// <summary>ENOENT: no element with the key (or an empty queue/stack, or the last key of an iteration).</summary>
    NotFound = 2,
    /// <summary>E2BIG: the map is full (or an array index past max_entries).</summary>
    Full = 7,
    /// <summary>ENOMEM: an LRU map found no element to evict.</summary>
    NoMemory = 12,
    /// <summary>EEXIST: <see cref="MapUpdateFlags.NoExist"/> and the key exists (arrays: always).</summary>
    Exists = 17,
    /// <summary>EINVAL: the operation or its flags do not apply to this map type.</summary>
    Invalid = 22,
    /// <summary>ENOSPC: an LPM trie holds max_entries prefixes already.</summary>
    NoSpace = 28,
    /// <summary>EOPNOTSUPP: the map type has no such operation (e.g. iterating a bloom filter).</summary>
    NotSupported = 95,
    /// <summary>EPERM: the map is read-only to this side (a frozen map, <c>.rodata</c> from programs).</summary>
    NotPermitted = 1,
}
