using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>What the kernel reports about a loaded BTF object (struct bpf_btf_info).</summary>
public sealed record BtfInfo
{
    /// <summary>The kernel's id.</summary>
    public required uint Id { get; init; }
    /// <summary>The name: "vmlinux" or a module's name for kernel BTF, usually empty for BTF loaded by programs.</summary>
    public required string Name { get; init; }
    /// <summary>True for the kernel's own BTF (vmlinux and modules).</summary>
    public required bool IsKernel { get; init; }
    /// <summary>Size of the raw BTF in bytes.</summary>
    public required int Size { get; init; }
    /// <summary>The raw BTF (header, types, strings), when asked for.</summary>
    public byte[]? Data { get; init; }

    /// <summary>Reads the info of the BTF object behind <paramref name="handle"/>.</summary>
    /// <param name="handle">A BTF fd (from <see cref="KernelObjects.OpenBtfById"/> or BPF_BTF_LOAD).</param>
    /// <param name="includeData">Also copy the raw BTF out of the kernel.</param>
    public static unsafe BtfInfo Get(SafeBpfHandle handle, bool includeData = false)
    {
        ArgumentNullException.ThrowIfNull(handle);
        string subject = $"BTF {handle}";
        var r = new BtfInfoRecord();
        byte* name = stackalloc byte[256];
        r.Name = Bpf.Ptr(name);
        r.NameLen = 256;
        try
        {
            ObjectInfo.Get(handle, ref r, "get info of", subject);
        }
        catch (BpfException e) when (e.Errno == Errno.E2BIG)
        {
            // Before 5.11 struct bpf_btf_info ends after id: the kernel refuses a longer record whose tail (name,
            // name_len, kernel_btf) is not zero. Ask again without the name; such kernels have no named BTF.
            r = new BtfInfoRecord();
            ObjectInfo.Get(handle, ref r, "get info of", subject);
        }
        byte[]? data = null;
        if (includeData && r.BtfSize > 0)
        {
            data = new byte[r.BtfSize];
            fixed (byte* d = data)
            {
                var again = new BtfInfoRecord { Btf = Bpf.Ptr(d), BtfSize = (uint)data.Length };
                ObjectInfo.Get(handle, ref again, "get data of", subject);
            }
        }
        var nameSpan = r.Name == 0 ? default : new ReadOnlySpan<byte>(name, (int)Math.Min(r.NameLen, 256u));
        int end = nameSpan.IndexOf((byte)0);
        return new BtfInfo
        {
            Id = r.Id, Name = Encoding.UTF8.GetString(end < 0 ? nameSpan : nameSpan[..end]), IsKernel = r.KernelBtf != 0,
            Size = (int)r.BtfSize, Data = data,
        };
    }
}
