using Ebpf.Btf;

namespace Ebpf.Linux;

/// <summary>
/// A program's whole name from its BTF: the kernel keeps 15 characters of a name, but the program's func info points
/// at the BTF FUNC of its entry function, which carries the name clang wrote.
/// </summary>
internal static class ProgramFullName
{
    /// <summary>The name of FUNC <paramref name="funcTypeId"/> in BTF object <paramref name="btfId"/>, or null where it cannot be read.</summary>
    public static string? FromBtf(uint btfId, uint funcTypeId)
    {
        try
        {
            using SafeBpfHandle handle = KernelObjects.OpenBtfById(btfId);
            BtfInfo info = BtfInfo.Get(handle, includeData: true);
            if (info.Data is not { Length: > 0 } data || info.IsKernel) return null;
            BtfSpec btf = BtfReader.Parse(data);
            return btf.Contains(funcTypeId) && btf[funcTypeId] is BtfFunc { Name.Length: > 0 } func ? func.Name : null;
        }
        catch (Exception e) when (e is BpfException or BtfFormatException or UnauthorizedAccessException)
        {
            return null;   // the cut name is still right, only shorter
        }
    }
}
