using Ebpf.Elf;

namespace Ebpf.Linux.Links;

/// <summary>
/// Where a uprobe attaches: a file (an executable or shared library) and a byte offset into it, found from a symbol by
/// our own ELF reader (<see cref="ElfBinary"/>). Library names without a slash ("libc.so.6") are looked up like the
/// dynamic loader does: LD_LIBRARY_PATH, the directories of /etc/ld.so.conf(.d), then the standard directories.
/// </summary>
/// <param name="Path">The absolute path of the file.</param>
/// <param name="Offset">The file offset of the probed instruction.</param>
/// <param name="Symbol">The symbol it came from (for messages), or null for a raw offset.</param>
public sealed record UprobeTarget(string Path, ulong Offset, string? Symbol = null)
{
    private static readonly string[] s_standardDirectories =
    [
        "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
    ];

    /// <summary>The target <paramref name="symbol"/> (+ <paramref name="offset"/>) of <paramref name="binary"/>.</summary>
    /// <param name="binary">A path, or a library name ("libc.so.6") found as the dynamic loader would.</param>
    /// <param name="symbol">A function in <c>.symtab</c> or <c>.dynsym</c>.</param>
    /// <param name="offset">Bytes into the function.</param>
    /// <exception cref="FileNotFoundException">No such file or library.</exception>
    /// <exception cref="ElfSymbolNotFoundException">The file does not define the symbol.</exception>
    /// <exception cref="ElfFormatException">The file is not an ELF executable or shared library.</exception>
    public static UprobeTarget Resolve(string binary, string symbol, ulong offset = 0)
    {
        string path = FindBinary(binary);
        return new UprobeTarget(path, ElfBinary.Open(path).SymbolFileOffset(symbol, offset), offset == 0 ? symbol : $"{symbol}+{offset}");
    }

    /// <summary>
    /// The path of <paramref name="binary"/>: itself when it contains a slash, else the library of that name in the
    /// loader's search directories, else an executable of that name on PATH.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing found; the message lists where we looked.</exception>
    public static string FindBinary(string binary)
    {
        ArgumentException.ThrowIfNullOrEmpty(binary);
        if (binary.Contains('/', StringComparison.Ordinal))
            return File.Exists(binary) ? System.IO.Path.GetFullPath(binary) : throw new FileNotFoundException($"uprobe target {binary} does not exist", binary);
        List<string> searched = [];
        foreach (string dir in LibraryDirectories().Concat(PathDirectories(binary)))
        {
            searched.Add(dir);
            string candidate = System.IO.Path.Combine(dir, binary);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"uprobe target '{binary}' not found in {string.Join(":", searched.Distinct())}", binary);
    }

    /// <summary>The directories the dynamic loader searches, in order (LD_LIBRARY_PATH, ld.so.conf, standard ones).</summary>
    public static IEnumerable<string> LibraryDirectories()
    {
        if (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") is { Length: > 0 } ld)
            foreach (string dir in ld.Split(':', StringSplitOptions.RemoveEmptyEntries)) yield return dir;
        foreach (string dir in LdSoConf("/etc/ld.so.conf", depth: 0)) yield return dir;
        foreach (string dir in s_standardDirectories) yield return dir;
    }

    private static IEnumerable<string> PathDirectories(string binary) =>
        binary.Contains(".so", StringComparison.Ordinal) ? [] :
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries);

    // "include /etc/ld.so.conf.d/*.conf" lines and directory lines; comments start with '#'.
    private static IEnumerable<string> LdSoConf(string file, int depth)
    {
        if (depth > 4 || !File.Exists(file)) yield break;
        foreach (string raw in File.ReadLines(file))
        {
            string line = (raw.IndexOf('#', StringComparison.Ordinal) is int hash and >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("include", StringComparison.Ordinal))
            {
                string pattern = line["include".Length..].Trim();
                string dir = System.IO.Path.GetDirectoryName(pattern) ?? "/etc";
                if (!Directory.Exists(dir)) continue;
                foreach (string included in Directory.GetFiles(dir, System.IO.Path.GetFileName(pattern)).Order(StringComparer.Ordinal))
                    foreach (string d in LdSoConf(included, depth + 1)) yield return d;
            }
            else if (line.StartsWith('/'))
            {
                yield return line;
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Symbol is null ? $"{Path}:0x{Offset:x}" : $"{Path}:{Symbol} (0x{Offset:x})";
}
