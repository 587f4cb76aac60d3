using System.Collections;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// The keys of a <see cref="KernelMap"/>, walked with BPF_MAP_GET_NEXT_KEY. A struct enumerable: <c>foreach</c> over it
/// allocates nothing. Each step asks the kernel for the key after the previous one, so elements added or deleted during
/// the walk may or may not be seen, and a hash map whose current key was deleted restarts from its first key.
/// </summary>
/// <typeparam name="TKey">The key type, as large as the map's keys.</typeparam>
public readonly struct MapKeys<TKey> : IEnumerable<TKey> where TKey : unmanaged
{
    private readonly KernelMap _map;

    internal MapKeys(KernelMap map) => _map = map;

    /// <summary>Starts a walk from the first key.</summary>
    public Enumerator GetEnumerator() => new(_map);

    IEnumerator<TKey> IEnumerable<TKey>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One walk over the keys.</summary>
    public struct Enumerator : IEnumerator<TKey>
    {
        private readonly KernelMap _map;
        private TKey _current;
        private bool _started;
        private bool _done;

        internal Enumerator(KernelMap map) => (_map, _current, _started, _done) = (map, default, false, false);

        /// <summary>The current key.</summary>
        public readonly TKey Current => _current;

        readonly object IEnumerator.Current => _current;

        /// <summary>Fetches the next key; false at the end.</summary>
        public unsafe bool MoveNext()
        {
            if (_done) return false;
            TKey previous = _current, next = default;
            bool found = _map.ElementOp(BpfCommand.MapGetNextKey, _started ? &previous : null, &next, 0, "get next key of map");
            _started = true;
            if (!found) { _done = true; return false; }
            _current = next;
            return true;
        }

        /// <summary>Restarts from the first key.</summary>
        public void Reset() => (_current, _started, _done) = (default, false, false);

        /// <summary>Nothing to release.</summary>
        public readonly void Dispose() { }
    }
}
