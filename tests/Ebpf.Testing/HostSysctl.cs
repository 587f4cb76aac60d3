namespace Ebpf.Testing;

/// <summary>
/// Kernel settings as /proc/sys shows them, for skip reasons that say what was measured
/// ("net.core.bpf_jit_enable=0") rather than what a test guessed.
/// </summary>
public static class HostSysctl
{
    /// <summary>The value of <paramref name="name"/> ("net.core.bpf_jit_enable"), or null when unreadable.</summary>
    public static string? Read(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            return File.ReadAllText("/proc/sys/" + name.Replace('.', '/')).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"name=value" (or "name unreadable"), for messages.</summary>
    public static string Describe(string name) => Read(name) is { } value ? $"{name}={value}" : $"{name} unreadable";

    /// <summary>
    /// Whether the BPF JIT compiles programs: net.core.bpf_jit_enable is not 0 (1, or 2 for debug output). Kernels
    /// built with CONFIG_BPF_JIT_ALWAYS_ON show 1 and refuse 0; kernels without a JIT have no such file.
    /// </summary>
    public static bool JitEnabled => Read("net.core.bpf_jit_enable") is { } v && v != "0";
}
