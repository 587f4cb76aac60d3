using System.Globalization;

namespace Ebpf.Linux;

/// <summary>
/// The kernel's function symbols from <c>/proc/kallsyms</c>: what a JIT-compiled program calls or jumps to
/// (helpers, <c>__x86_return_thunk</c> and its siblings, other BPF functions as <c>bpf_prog_TAG_NAME</c>), and the
/// helper a translated call instruction names (its immediate is an offset from <c>__bpf_call_base</c>).
/// </summary>
/// <remarks>
/// A snapshot: programs loaded later are not in it, so read again after loading. Without CAP_SYSLOG, or with
/// <c>kernel.kptr_restrict=2</c>, the kernel prints every address as 0; such a table has names but resolves nothing
/// (<see cref="HasAddresses"/> is false). BPF programs appear only while <c>net.core.bpf_jit_kallsyms</c> is 1.
/// </remarks>
public sealed class KernelSymbols
{
    /// <summary>Where the kernel lists its symbols.</summary>
    public const string DefaultPath = "/proc/kallsyms";

    private static readonly KernelSymbols s_empty = new([], [], hiddenNames: 0);
    private readonly ulong[] _addresses;   // ascending
    private readonly KernelSymbol[] _symbols;
    private readonly Dictionary<string, ulong> _byName;

    private KernelSymbols(ulong[] addresses, KernelSymbol[] symbols, int hiddenNames)
    {
        _addresses = addresses;
        _symbols = symbols;
        HiddenAddressCount = hiddenNames;
        _byName = new Dictionary<string, ulong>(symbols.Length, StringComparer.Ordinal);
        foreach (KernelSymbol s in symbols) _byName.TryAdd(s.Name, s.Address);
    }

    /// <summary>Function symbols with a visible address.</summary>
    public int Count => _symbols.Length;

    /// <summary>Function symbols listed with address 0 (hidden by <c>kptr_restrict</c> or a missing CAP_SYSLOG).</summary>
    public int HiddenAddressCount { get; }

    /// <summary>Whether addresses are visible, so that <see cref="TryResolve"/> can name anything.</summary>
    public bool HasAddresses => _symbols.Length > 0;

    /// <summary>Reads <c>/proc/kallsyms</c> now; an empty table where the file does not exist or cannot be read.</summary>
    public static KernelSymbols Read() => Read(DefaultPath);

    /// <summary>Reads a kallsyms-format file; an empty table where it does not exist or cannot be read.</summary>
    public static KernelSymbols Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var reader = new StreamReader(path);
            return Parse(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return s_empty;
        }
    }

    /// <summary>
    /// Parses kallsyms text: <c>ADDRESS TYPE NAME [\t[MODULE]]</c> lines. Function symbols (types <c>T t W w</c>) are
    /// kept; lines of another shape are skipped, as the kernel's format has grown over releases.
    /// </summary>
    public static KernelSymbols Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var symbols = new List<KernelSymbol>(1 << 16);
        int hidden = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            ReadOnlySpan<char> rest = line;
            int space = rest.IndexOf(' ');
            if (space <= 0 || !ulong.TryParse(rest[..space], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong address)) continue;
            rest = rest[(space + 1)..];
            if (rest.Length < 3 || rest[1] != ' ' || rest[0] is not ('T' or 't' or 'W' or 'w')) continue;
            char type = rest[0];
            rest = rest[2..];
            string? module = null;
            int tab = rest.IndexOf('\t');
            if (tab >= 0)
            {
                module = rest[(tab + 1)..].Trim().Trim("[]").ToString();
                rest = rest[..tab];
            }
            if (rest.IsEmpty) continue;
            if (address == 0) { hidden++; continue; }
            symbols.Add(new KernelSymbol(address, rest.ToString(), type, module));
        }
        // Stable by address: where aliases share one, the first listed (usually the global name) wins lookups.
        KernelSymbol[] sorted = [.. symbols.OrderBy(s => s.Address)];
        return new KernelSymbols([.. sorted.Select(s => s.Address)], sorted, hidden);
    }

    /// <summary>The address of function <paramref name="name"/>.</summary>
    public bool TryGetAddress(string name, out ulong address) => _byName.TryGetValue(name, out address);

    /// <summary>
    /// The function containing <paramref name="address"/>: the nearest symbol at or below it, and the offset into it.
    /// False below the first symbol, or where addresses are hidden.
    /// </summary>
    /// <remarks>kallsyms has no sizes: a symbol is taken to extend up to the next one, as perf does.</remarks>
    public bool TryResolve(ulong address, out KernelSymbol symbol, out ulong offset)
    {
        int i = Array.BinarySearch(_addresses, address);
        if (i < 0) i = ~i - 1;
        else while (i > 0 && _addresses[i - 1] == address) i--;
        if (i < 0)
        {
            (symbol, offset) = (default, 0);
            return false;
        }
        symbol = _symbols[i];
        offset = address - symbol.Address;
        return true;
    }

    /// <summary>
    /// objdump's annotation of a code address: <c>name</c> or <c>name+0x10</c>; null where nothing resolves it.
    /// </summary>
    public string? Describe(ulong address) =>
        !TryResolve(address, out KernelSymbol s, out ulong offset) ? null
        : offset == 0 ? s.Name
        : $"{s.Name}+0x{offset.ToString("x", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The function a call of a translated program (after verification, <c>bpftool prog dump xlated</c>) with
    /// immediate <paramref name="immediate"/> reaches: <c>__bpf_call_base + imm</c>, matched exactly.
    /// </summary>
    public string? HelperCall(int immediate)
    {
        if (!TryGetAddress("__bpf_call_base", out ulong callBase)) return null;
        ulong target = unchecked(callBase + (ulong)(long)immediate);
        return TryResolve(target, out KernelSymbol s, out ulong offset) && offset == 0 ? s.Name : null;
    }
}
