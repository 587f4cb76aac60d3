using System.Diagnostics;

namespace Ebpf.Vm.Helpers;

/// <summary>
/// The helpers a program may call, by id. The host builds it and passes it in <see cref="VmOptions.Helpers"/>;
/// <see cref="VmProgram.Load"/> takes a snapshot, so changing the table later does not change loaded programs.
/// </summary>
public sealed class HelperTable
{
    /// <summary>Highest helper id a table accepts (ids index an array in the loaded program).</summary>
    public const int MaxHelperId = 0xffff;

    /// <summary>bpf_ktime_get_ns: kernel helper id 5.</summary>
    public const int KtimeGetNs = 5;

    private readonly Dictionary<int, HelperFunction> _helpers = [];

    /// <summary>A table with the helpers every program may use: <see cref="KtimeGetNs"/>.</summary>
    public static HelperTable CreateDefault()
    {
        var table = new HelperTable();
        table.Register(KtimeGetNs, static (_, _, _, _, _, _) => MonotonicNanoseconds());
        return table;
    }

    /// <summary>A copy of this table, to extend without changing it.</summary>
    public HelperTable Clone()
    {
        var copy = new HelperTable();
        foreach (var (id, helper) in _helpers) copy._helpers[id] = helper;
        return copy;
    }

    /// <summary>The ids present, in ascending order.</summary>
    public IEnumerable<int> Ids => _helpers.Keys.Order();

    /// <summary>Adds or replaces the helper with id <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is negative or above <see cref="MaxHelperId"/>.</exception>
    public void Register(int id, HelperFunction helper)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, MaxHelperId);
        ArgumentNullException.ThrowIfNull(helper);
        _helpers[id] = helper;
    }

    /// <summary>Removes the helper with id <paramref name="id"/>; false when there was none.</summary>
    public bool Remove(int id) => _helpers.Remove(id);

    /// <summary>The helper with id <paramref name="id"/>, if present.</summary>
    public bool TryGet(int id, out HelperFunction helper) => _helpers.TryGetValue(id, out helper!);

    /// <summary>The helpers as an array indexed by id (null where absent), the form the engines call through.</summary>
    internal HelperFunction?[] ToArray()
    {
        var array = new HelperFunction?[_helpers.Count == 0 ? 0 : _helpers.Keys.Max() + 1];
        foreach (var (id, helper) in _helpers) array[id] = helper;
        return array;
    }

    // CLOCK_MONOTONIC in nanoseconds, as bpf_ktime_get_ns returns it.
    internal static ulong MonotonicNanoseconds() =>
        (ulong)((UInt128)(ulong)Stopwatch.GetTimestamp() * 1_000_000_000 / (ulong)Stopwatch.Frequency);
}
