using System.Buffers.Binary;

namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_LPM_TRIE as kernel/bpf/lpm_trie.c builds it: keys are <c>struct bpf_lpm_trie_key</c> (a 4-byte
/// prefix length, then the data, most significant bit first); lookups answer the longest stored prefix of the key;
/// the trie is path-compressed with intermediate nodes, in the kernel's shape, so that walking it with
/// get_next_key visits prefixes in the kernel's post-order (more specific prefixes before the ones containing them).
/// Requires BPF_F_NO_PREALLOC; a full trie refuses new prefixes with ENOSPC.
/// </summary>
internal sealed unsafe class VmLpmTrieMap : VmMap
{
    private sealed class Node(int prefixLength, byte[] data, int slot)
    {
        public readonly Node?[] Child = new Node?[2];
        public int PrefixLength = prefixLength;
        public readonly byte[] Data = data;
        public int Slot = slot;                     // value slot; -1 for an intermediate node
        public bool IsIntermediate => Slot < 0;
    }

    private readonly Lock _writer = new();
    private readonly NativeBlock _values;
    private readonly Stack<int> _free;
    private readonly int _dataSize, _maxPrefix;
    private Node? _root;
    private int _count;

    public VmLpmTrieMap(MapSpec spec, VmMapOptions options) : base(spec, options)
    {
        if (spec.KeySize < 5 || spec.KeySize > 4 + 256) throw VmMapFactory.Invalid(spec, $"key_size must be 5 to 260 (a 4-byte prefix length and 1-256 data bytes; is {spec.KeySize})");
        if (spec.ValueSize == 0) throw VmMapFactory.Invalid(spec, "value_size must not be 0");
        if (spec.MaxEntries == 0) throw VmMapFactory.Invalid(spec, "max_entries must not be 0");
        if ((spec.Flags & MapFlagBits.NoPrealloc) == 0) throw VmMapFactory.Invalid(spec, "LPM tries need BPF_F_NO_PREALLOC");
        if (spec.MaxEntries > 1u << 24) throw VmMapFactory.Invalid(spec, $"max_entries {spec.MaxEntries} is more than the VM holds (2^24)");
        _dataSize = KeySize - 4;
        _maxPrefix = _dataSize * 8;
        int slots = (int)spec.MaxEntries + 1;   // a replacement gets its node before the old one goes
        _values = new NativeBlock((long)slots * ValueStride);
        _free = new Stack<int>(slots);
        for (int s = slots - 1; s >= 0; s--) _free.Push(s);
    }

    internal override (IntPtr Start, long Length) ValueStorage => ((IntPtr)_values.Pointer, _values.Length);

    internal override byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu)
    {
        Node? found = Longest(key);
        return found is null ? null : ValueOf(found.Slot);
    }

    private protected override MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value)
    {
        Node? found = Longest(key);
        if (found is null) return MapResult.NotFound;
        new ReadOnlySpan<byte>(ValueOf(found.Slot), ValueSize).CopyTo(value);
        return MapResult.Ok;
    }

    private protected override MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags)
    {
        if (flags > MapUpdateFlags.Exist) return MapResult.Invalid;
        int prefix = PrefixLength(key);
        if (prefix < 0 || prefix > _maxPrefix) return MapResult.Invalid;
        ReadOnlySpan<byte> data = key[4..];
        lock (_writer)
        {
            // Walk down while the node's whole prefix matches and is shorter than the key's.
            ref Node? slot = ref _root;
            Node? node;
            int match = 0;
            while ((node = slot) is not null)
            {
                match = Match(node, data, prefix);
                if (node.PrefixLength != match || node.PrefixLength == prefix) break;
                slot = ref node.Child[Bit(data, node.PrefixLength)];
            }
            if (node is null)
            {
                MapResult room = CheckAdd(flags);
                if (room != MapResult.Ok) return room;
                Volatile.Write(ref slot, NewNode(prefix, data, value));
                return MapResult.Ok;
            }
            if (node.PrefixLength == match)
            {
                // The same prefix: replace the node (an intermediate one becomes a real entry).
                if (!node.IsIntermediate && flags == MapUpdateFlags.NoExist) return MapResult.Exists;
                if (node.IsIntermediate)
                {
                    MapResult room = CheckAdd(flags);
                    if (room != MapResult.Ok) return room;
                }
                Node replacement = NewNode(prefix, data, value);
                replacement.Child[0] = node.Child[0];
                replacement.Child[1] = node.Child[1];
                Volatile.Write(ref slot, replacement);
                if (!node.IsIntermediate) _free.Push(node.Slot);
                return MapResult.Ok;
            }
            MapResult add = CheckAdd(flags);
            if (add != MapResult.Ok) return add;
            Node fresh = NewNode(prefix, data, value);
            if (match == prefix)
            {
                // The new prefix contains the node's: it becomes its parent.
                fresh.Child[Bit(node.Data, match)] = node;
                Volatile.Write(ref slot, fresh);
                return MapResult.Ok;
            }
            // They part at bit `match`: an intermediate node holds both.
            var split = new Node(match, (byte[])node.Data.Clone(), -1);
            if (Bit(data, match) == 1) { split.Child[0] = node; split.Child[1] = fresh; }
            else { split.Child[0] = fresh; split.Child[1] = node; }
            Volatile.Write(ref slot, split);
            return MapResult.Ok;
        }
    }

    private protected override MapResult DeleteCore(ReadOnlySpan<byte> key)
    {
        int prefix = PrefixLength(key);
        if (prefix < 0 || prefix > _maxPrefix) return MapResult.Invalid;
        ReadOnlySpan<byte> data = key[4..];
        lock (_writer)
        {
            ref Node? trim = ref _root;
            ref Node? trimParent = ref _root;
            Node? parent = null, node;
            int match = 0;
            while ((node = trim) is not null)
            {
                match = Match(node, data, prefix);
                if (node.PrefixLength != match || node.PrefixLength == prefix) break;
                parent = node;
                trimParent = ref trim;
                trim = ref node.Child[Bit(data, node.PrefixLength)];
            }
            if (node is null || node.PrefixLength != prefix || node.PrefixLength != match || node.IsIntermediate) return MapResult.NotFound;
            _count--;
            _free.Push(node.Slot);
            if (node.Child[0] is not null && node.Child[1] is not null)
            {
                node.Slot = -1;   // keeps routing to both children
                return MapResult.Ok;
            }
            if (parent is { IsIntermediate: true } && node.Child[0] is null && node.Child[1] is null)
            {
                // A leaf under an intermediate node: the node's sibling takes the parent's place.
                Volatile.Write(ref trimParent, ReferenceEquals(node, parent.Child[0]) ? parent.Child[1] : parent.Child[0]);
                return MapResult.Ok;
            }
            Volatile.Write(ref trim, node.Child[0] ?? node.Child[1]);
            return MapResult.Ok;
        }
    }

    private protected override MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        lock (_writer)
        {
            Node? searchRoot = _root;
            if (searchRoot is null) return MapResult.NotFound;
            int prefix = key.IsEmpty ? -1 : PrefixLength(key);
            if (prefix < 0 || prefix > _maxPrefix) return Copy(Leftmost(searchRoot), nextKey);
            ReadOnlySpan<byte> data = key[4..];
            var stack = new List<Node>();
            Node? node = searchRoot;
            int match = 0;
            while (node is not null)
            {
                stack.Add(node);
                match = Match(node, data, prefix);
                if (node.PrefixLength != match || node.PrefixLength == prefix) break;
                node = node.Child[Bit(data, node.PrefixLength)];
            }
            if (node is null || node.PrefixLength != match || node.IsIntermediate) return Copy(Leftmost(searchRoot), nextKey);
            // Post-order successor: the leftmost entry of the right sibling subtree, else the first real ancestor.
            for (int at = stack.Count - 1; at > 0; at--)
            {
                Node child = stack[at], up = stack[at - 1];
                if (ReferenceEquals(up.Child[0], child) && up.Child[1] is { } right) return Copy(Leftmost(right), nextKey);
                if (!up.IsIntermediate) return Copy(up, nextKey);
            }
            return MapResult.NotFound;
        }
    }

    protected override void Dispose(bool disposing) => _values.Dispose();

    // trie_lookup_elem: the deepest real node whose whole prefix matches the key.
    private Node? Longest(ReadOnlySpan<byte> key)
    {
        // The kernel does not bound a lookup's prefix length: only min(node, key) bits are compared.
        int prefix = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(key), int.MaxValue);
        ReadOnlySpan<byte> data = key[4..];
        Node? found = null;
        Node? node = Volatile.Read(ref _root);
        while (node is not null)
        {
            int match = Match(node, data, prefix);
            if (match == _maxPrefix)
            {
                found = node.IsIntermediate ? found : node;
                break;
            }
            if (match < node.PrefixLength) break;
            if (!node.IsIntermediate) found = node;
            node = Volatile.Read(ref node.Child[Bit(data, node.PrefixLength)]);
        }
        return found;
    }

    // The leftmost real node of a subtree (intermediate nodes always have two children).
    private static Node Leftmost(Node root)
    {
        Node? next = null;
        for (Node? node = root; node is not null;)
        {
            if (node.IsIntermediate) node = node.Child[0];
            else
            {
                next = node;
                node = node.Child[0] ?? next.Child[1];
            }
        }
        return next!;
    }

    private MapResult Copy(Node node, Span<byte> nextKey)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, (uint)node.PrefixLength);
        node.Data.CopyTo(nextKey[4..]);
        return MapResult.Ok;
    }

    private MapResult CheckAdd(MapUpdateFlags flags)
    {
        if (flags == MapUpdateFlags.Exist) return MapResult.NotFound;
        if (_count >= MaxEntries) return MapResult.NoSpace;
        _count++;
        return MapResult.Ok;
    }

    private Node NewNode(int prefix, ReadOnlySpan<byte> data, ReadOnlySpan<byte> value)
    {
        int slot = _free.Pop();
        value[..ValueSize].CopyTo(new Span<byte>(ValueOf(slot), ValueSize));
        return new Node(prefix, data[.._dataSize].ToArray(), slot);
    }

    // longest_prefix_match: leading bits node and key share, up to the shorter prefix.
    private static int Match(Node node, ReadOnlySpan<byte> data, int keyPrefix)
    {
        int limit = Math.Min(node.PrefixLength, keyPrefix), bits = 0;
        for (int i = 0; bits < limit; i++)
        {
            int diff = node.Data[i] ^ data[i];
            if (diff != 0)
            {
                bits += System.Numerics.BitOperations.LeadingZeroCount((uint)diff) - 24;
                return Math.Min(bits, limit);
            }
            bits += 8;
        }
        return Math.Min(bits, limit);
    }

    private static int Bit(ReadOnlySpan<byte> data, int index) => (data[index / 8] >> (7 - (index % 8))) & 1;

    private static int PrefixLength(ReadOnlySpan<byte> key)
    {
        uint prefix = BinaryPrimitives.ReadUInt32LittleEndian(key);
        return prefix > int.MaxValue ? -1 : (int)prefix;
    }

    private byte* ValueOf(int slot) => _values.Pointer + ((long)slot * ValueStride);
}
