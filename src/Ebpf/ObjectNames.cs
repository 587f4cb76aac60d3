namespace Ebpf;

/// <summary>Kernel object names: BPF_OBJ_NAME_LEN is 16 bytes including the NUL.</summary>
internal static class ObjectNames
{
    /// <summary>BPF_OBJ_NAME_LEN.</summary>
    public const int MaxLength = 16;

    /// <summary>The first 15 bytes of <paramref name="name"/>, which is what the kernel keeps.</summary>
    public static string KernelName(string name)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(name);
        return bytes.Length < MaxLength ? name : System.Text.Encoding.UTF8.GetString(bytes, 0, MaxLength - 1);
    }
}
