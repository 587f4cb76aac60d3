using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>
/// A BPF object loaded by bpftool (the reference loader) with its programs pinned under <c>DIR/p</c> and its maps
/// under <c>DIR/m</c>; disposing removes the pins, which unloads everything.
/// </summary>
internal sealed class LoadedObject : IDisposable
{
    private readonly BpfFsDirectory _dir = new();

    public LoadedObject(string objectName)
    {
        Tools.RequireKernel();
        try
        {
            Tools.Bpftool("prog", "loadall", RepoPaths.BpfObject(objectName), Programs, "pinmaps", Maps);
        }
        catch
        {
            _dir.Dispose();
            throw;
        }
    }

    /// <summary>The scratch bpffs directory (for pins a test makes itself).</summary>
    public BpfFsDirectory Directory => _dir;

    /// <summary>Where the programs are pinned, one file per program name.</summary>
    public string Programs => _dir["p"];

    /// <summary>Where the maps are pinned, one file per map name.</summary>
    public string Maps => _dir["m"];

    public string Program(string name) => Path.Combine(Programs, name);

    public string Map(string name) => Path.Combine(Maps, name);

    /// <summary>The kernel id of a pinned map or program, as bpftool reports it.</summary>
    public static string IdOf(string kind, string pinned) =>
        Tools.BpftoolJson(kind, "show", "pinned", pinned).GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _dir.Dispose();
}
