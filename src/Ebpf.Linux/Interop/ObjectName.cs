using System.Text;

namespace Ebpf.Linux.Interop;

/// <summary>Object names (BPF_OBJ_NAME_LEN): at most 15 of [A-Za-z0-9_.], NUL-terminated in the attribute.</summary>
internal static class ObjectName
{
    internal const int Capacity = 16;

    internal static string Validate(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
                throw new ArgumentException($"object name '{name}' has '{c}': the kernel accepts only [A-Za-z0-9_.]", parameter);
        return name.Length < Capacity ? name : name[..(Capacity - 1)];
    }

    internal static unsafe void Write(string name, byte* destination)
    {
        var span = new Span<byte>(destination, Capacity);
        span.Clear();
        Encoding.ASCII.GetBytes(name, span[..(Capacity - 1)]);
    }

    internal static unsafe string Read(byte* source)
    {
        var span = new ReadOnlySpan<byte>(source, Capacity);
        int end = span.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
    }
}
