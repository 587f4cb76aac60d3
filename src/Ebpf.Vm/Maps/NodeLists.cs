namespace Ebpf.Vm.Maps;

/// <summary>
/// Circular doubly linked lists over integer node ids, the shape of the kernel's <c>struct list_head</c>: nodes
/// 0..n-1 are elements, the ids after them are the heads (sentinels) of the lists. No allocation after creation.
/// </summary>
internal sealed class NodeLists
{
    private readonly int[] _next, _prev;

    public NodeLists(int nodes, int lists)
    {
        NodeCount = nodes;
        _next = new int[nodes + lists];
        _prev = new int[nodes + lists];
        for (int i = 0; i < _next.Length; i++) _next[i] = _prev[i] = i;   // every node and head alone
    }

    /// <summary>Element nodes (the first list head's id).</summary>
    public int NodeCount { get; }

    /// <summary>The id of list head <paramref name="list"/>.</summary>
    public int Head(int list) => NodeCount + list;

    public int Next(int node) => _next[node];

    public int Prev(int node) => _prev[node];

    public bool IsEmpty(int head) => _next[head] == head;

    /// <summary>list_add: <paramref name="node"/> right after <paramref name="head"/> (the list's front).</summary>
    public void AddFront(int node, int head)
    {
        int first = _next[head];
        _next[node] = first;
        _prev[node] = head;
        _prev[first] = node;
        _next[head] = node;
    }

    /// <summary>list_del: takes <paramref name="node"/> out of whatever list holds it.</summary>
    public void Remove(int node)
    {
        _next[_prev[node]] = _next[node];
        _prev[_next[node]] = _prev[node];
        _next[node] = _prev[node] = node;
    }

    /// <summary>list_move: out of its list, to the front of <paramref name="head"/>'s.</summary>
    public void MoveToFront(int node, int head)
    {
        Remove(node);
        AddFront(node, head);
    }
}
