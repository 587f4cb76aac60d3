using System.Globalization;
using System.Runtime.InteropServices;
using Ebpf.Sections;

namespace Ebpf.Linux.Links;

/// <summary>
/// Attaches a loaded program where its section name says, like libbpf's auto-attach: <c>tracepoint/CAT/NAME</c>
/// (<c>tp/</c>), <c>raw_tp/NAME</c> (<c>raw_tracepoint/</c>, <c>.w</c>), <c>tp_btf/</c>, <c>fentry/</c>, <c>fexit/</c>,
/// <c>fmod_ret/</c>, <c>lsm/</c>, <c>iter/</c>, <c>kprobe/FUNC[+OFF]</c>, <c>kretprobe/FUNC</c>, <c>ksyscall/NAME</c>,
/// <c>kprobe.multi/PATTERN</c>, <c>uprobe/BINARY:FUNC[+OFF]</c>, <c>uretprobe/...</c> and
/// <c>uprobe.multi/BINARY:PATTERN</c>. Sections that need a target only the caller knows (xdp, tc, cgroup, perf_event,
/// socket filters...) are refused.
/// </summary>
public static class AutoAttach
{
    /// <summary>Attaches <paramref name="program"/> as its section <paramref name="spec"/> names.</summary>
    /// <returns>The link; disposing it detaches the program.</returns>
    /// <exception cref="ArgumentException">The section names no attach target, or needs one that cannot be inferred
    /// (the message says which API to use instead).</exception>
    /// <exception cref="KernelFeatureMissingException">The kernel lacks the hook.</exception>
    public static Link Attach(KernelProgram program, ProgramSpec spec)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(spec);
        SectionDefinition? row = spec.Section ?? SectionDefinitions.Find(spec.SectionName);
        string prefix = row?.Prefix ?? spec.SectionName;
        string? target = spec.AttachTo;
        string kind = prefix.EndsWith(".s", StringComparison.Ordinal) || prefix.EndsWith(".w", StringComparison.Ordinal) ? prefix[..^2] : prefix;
        switch (kind)
        {
            case "tracepoint" or "tp":
            {
                string t = Need(spec, target, "CATEGORY/NAME");
                int slash = t.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || slash == t.Length - 1) throw Bad(spec, "CATEGORY/NAME");
                return TracepointLink.Attach(program, t[..slash], t[(slash + 1)..]);
            }
            case "raw_tracepoint" or "raw_tp":
                return RawTracepointLink.Attach(program, Need(spec, target, "NAME"));
            case "tp_btf" or "fentry" or "fexit" or "fmod_ret" or "lsm":
                return TracingLink.Attach(program);
            case "iter":
                return IteratorLink.Attach(program);
            case "kprobe" or "kretprobe":
            {
                (string func, ulong offset) = SplitOffset(Need(spec, target, "FUNCTION[+OFFSET]"));
                return KprobeLink.Attach(program, func, isReturn: kind == "kretprobe", offset);
            }
            case "ksyscall" or "kretsyscall":
                return KprobeLink.Attach(program, SyscallPrefix() + Need(spec, target, "SYSCALL"), isReturn: kind == "kretsyscall");
            case "kprobe.multi" or "kretprobe.multi":
                return KprobeMultiLink.Attach(program, KernelFunctions(Need(spec, target, "PATTERN")), isReturn: kind == "kretprobe.multi");
            case "uprobe" or "uretprobe":
            {
                (string binary, string func) = SplitBinary(spec, Need(spec, target, "BINARY:FUNCTION[+OFFSET]"));
                (string symbol, ulong offset) = SplitOffset(func);
                return UprobeLink.Attach(program, UprobeTarget.Resolve(binary, symbol, offset), isReturn: kind == "uretprobe");
            }
            case "uprobe.multi" or "uretprobe.multi":
            {
                (string binary, string pattern) = SplitBinary(spec, Need(spec, target, "BINARY:PATTERN"));
                string path = UprobeTarget.FindBinary(binary);
                string[] symbols = Ebpf.Elf.ElfBinary.Open(path).Symbols
                    .Where(s => s.Type is Ebpf.Elf.ElfSymbolType.Function && Glob.IsMatch(pattern, s.Name)).Select(s => s.Name).Distinct().ToArray();
                if (symbols.Length == 0) throw new Ebpf.Elf.ElfSymbolNotFoundException(path, pattern, "no function matches the pattern");
                return UprobeMultiLink.Attach(program, path, symbols, isReturn: kind == "uretprobe.multi");
            }
            default:
                throw new ArgumentException(
                    $"program '{spec.Name}' in section '{spec.SectionName}' cannot be attached automatically: its hook needs a target " +
                    "only the caller knows (an interface for xdp/tc, a cgroup, a socket, a CPU sampling rate for perf_event...); " +
                    "use the hook's own link type", nameof(spec));
        }
    }

    private static string Need(ProgramSpec spec, string? target, string form) =>
        string.IsNullOrEmpty(target) ? throw Bad(spec, form) : target;

    private static ArgumentException Bad(ProgramSpec spec, string form) => new(
        $"program '{spec.Name}': section '{spec.SectionName}' does not name its attach target; auto-attach needs '{spec.Section?.Prefix ?? spec.SectionName}/{form}'",
        nameof(spec));

    private static (string Name, ulong Offset) SplitOffset(string text)
    {
        int plus = text.LastIndexOf('+');
        if (plus <= 0) return (text, 0);
        string number = text[(plus + 1)..];
        ulong offset = number.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(number.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(number, CultureInfo.InvariantCulture);
        return (text[..plus], offset);
    }

    private static (string Binary, string Function) SplitBinary(ProgramSpec spec, string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) throw Bad(spec, "BINARY:FUNCTION");
        // libbpf writes absolute paths without their leading slash after the section's own one ("uprobe//usr/bin/x:f" or "uprobe/usr/bin/x:f").
        string binary = text[..colon];
        if (!binary.StartsWith('/') && binary.Contains('/', StringComparison.Ordinal)) binary = "/" + binary;
        return (binary, text[(colon + 1)..]);
    }

    private static string SyscallPrefix() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "__x64_sys_",
        Architecture.Arm64 => "__arm64_sys_",
        Architecture.S390x => "__s390x_sys_",
        Architecture.RiscV64 => "__riscv_sys_",
        _ => "sys_",
    };

    // Kernel functions matching a glob, from the list ftrace can probe (what kprobe.multi accepts).
    private static string[] KernelFunctions(string pattern)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal)) return [pattern];
        foreach (string root in (string[])["/sys/kernel/tracing", "/sys/kernel/debug/tracing"])
        {
            string list = Path.Combine(root, "available_filter_functions");
            if (!File.Exists(list)) continue;
            string[] names;
            try { names = File.ReadLines(list).Select(l => l.Split(' ', 2)[0]).Where(n => Glob.IsMatch(pattern, n)).Distinct().ToArray(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KernelFeatureMissingException("kprobe.multi patterns (ftrace's available_filter_functions)", $"expand '{pattern}': read {list}: {e.Message}");
            }
            return names.Length > 0 ? names : throw new ArgumentException($"no kernel function in {list} matches '{pattern}'", nameof(pattern));
        }
        throw new KernelFeatureMissingException("kprobe.multi patterns (ftrace's available_filter_functions)",
            $"expand '{pattern}': no available_filter_functions under tracefs (kernel built without ftrace, or tracefs not mounted)");
    }
}
