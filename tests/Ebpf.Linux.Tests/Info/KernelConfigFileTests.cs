using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Info;

/// <summary>The running kernel's configuration file, found and parsed, checked against what bpftool reads from it.</summary>
public sealed class KernelConfigFileTests
{
    [Fact]
    public void TryRead_RunningKernel_HasBpf_AndAgreesWithBpftool()
    {
        if (!KernelConfigFile.TryFind(out string? path))
            Assert.Skip($"this kernel's configuration is nowhere to read: no /boot/config-{KernelAssert.KernelRelease}, no {KernelConfigFile.ProcPath} (CONFIG_IKCONFIG_PROC)");
        Assert.True(File.Exists(path));
        Assert.True(KernelConfigFile.TryRead(out IReadOnlyDictionary<string, string>? config));
        Assert.Equal("y", config["CONFIG_BPF"]);
        Assert.Equal("y", config["CONFIG_BPF_SYSCALL"]);
        Assert.Equal(config, KernelConfigFile.Read());

        KernelAssert.RequireRoot();
        int compared = 0;
        foreach (JsonProperty option in BpfTool.Json("feature", "probe", "kernel").GetProperty("system_config").EnumerateObject())
        {
            if (!option.Name.StartsWith("CONFIG_", StringComparison.Ordinal)) continue;
            string? expected = option.Value.ValueKind == JsonValueKind.Null ? null : option.Value.GetString();
            Assert.True(expected == (config.TryGetValue(option.Name, out string? v) ? v.Trim('"') : null), $"{option.Name}: bpftool reads {expected ?? "(not set)"}, we read {v}");
            compared++;
        }
        Assert.True(compared > 20, $"bpftool reported {compared} options");
    }
}
