using Ebpf.Btf;

namespace Ebpf.Linux.Tests.Interop;

/// <summary>
/// <c>offsetof</c> and <c>sizeof</c> answered from the running kernel's BTF (/sys/kernel/btf/vmlinux), as a C
/// compiler answers them from a vmlinux.h: anonymous struct and union members are looked through, a dotted path
/// ("link_create.tracing.cookie") descends member by member. Needs no compiler, so the layout tests run in the
/// kernel matrix's guests too.
/// </summary>
internal static class KernelBtfLayout
{
    private const string VmlinuxPath = "/sys/kernel/btf/vmlinux";
    private static readonly Lazy<BtfSpec> s_vmlinux = new(() => BtfReader.Parse(File.ReadAllBytes(VmlinuxPath)));

    /// <summary>Skips the test when the kernel publishes no BTF.</summary>
    public static void RequireKernelBtf()
    {
        if (!File.Exists(VmlinuxPath)) Assert.Skip($"Linux {Ebpf.Testing.KernelAssert.KernelRelease} has no {VmlinuxPath} (CONFIG_DEBUG_INFO_BTF)");
    }

    /// <summary>The struct or union spelled as in C ("union bpf_attr", "struct bpf_prog_info").</summary>
    public static BtfComposite Aggregate(string spelling)
    {
        string[] words = spelling.Split(' ', 2);
        BtfKind kind = words[0] switch
        {
            "struct" => BtfKind.Struct,
            "union" => BtfKind.Union,
            _ => throw new ArgumentException($"'{spelling}' is not 'struct NAME' or 'union NAME'", nameof(spelling)),
        };
        return s_vmlinux.Value.Find<BtfComposite>(words[1], kind);
    }

    /// <summary>The byte offset of <paramref name="path"/> in <paramref name="aggregate"/>; null when this kernel lacks a member of the path.</summary>
    public static int? OffsetOf(string aggregate, string path)
    {
        BtfSpec btf = s_vmlinux.Value;
        BtfComposite current = Aggregate(aggregate);
        ulong bits = 0;
        string[] segments = path.Split('.');
        for (int i = 0; i < segments.Length; i++)
        {
            if (!TryFindMember(btf, current, segments[i], out ulong memberBits, out uint type)) return null;
            bits += memberBits;
            if (i < segments.Length - 1)
            {
                if (btf[btf.SkipModifiersAndTypedefs(type)] is not BtfComposite inner)
                    throw new ArgumentException($"{aggregate}: '{segments[i]}' of '{path}' is not a struct or union", nameof(path));
                current = inner;
            }
        }
        return bits % 8 == 0 ? (int)(bits / 8) : throw new ArgumentException($"{aggregate}.{path} is a bitfield", nameof(path));
    }

    /// <summary>The size in bytes of the member at <paramref name="path"/>; null when this kernel lacks it.</summary>
    public static int? SizeOfMember(string aggregate, string path)
    {
        BtfSpec btf = s_vmlinux.Value;
        BtfComposite current = Aggregate(aggregate);
        uint type = 0;
        foreach (string segment in path.Split('.'))
        {
            if (type != 0) current = (BtfComposite)btf[btf.SkipModifiersAndTypedefs(type)];
            if (!TryFindMember(btf, current, segment, out _, out type)) return null;
        }
        return (int)btf.SizeOf(type);
    }

    // A member by name, directly or inside an anonymous struct/union member (C's rule for anonymous members).
    private static bool TryFindMember(BtfSpec btf, BtfComposite composite, string name, out ulong bits, out uint type)
    {
        foreach (BtfMember m in composite.Members)
        {
            if (m.Name == name)
            {
                (bits, type) = (m.BitOffset, m.Type);
                return true;
            }
            if (m.Name.Length == 0 && btf[btf.SkipModifiersAndTypedefs(m.Type)] is BtfComposite anonymous
                && TryFindMember(btf, anonymous, name, out ulong innerBits, out type))
            {
                bits = m.BitOffset + innerBits;
                return true;
            }
        }
        (bits, type) = (0, 0);
        return false;
    }
}
