namespace Ebpf.Linux.Interop;

/// <summary>Native entry points of the kernel backend. Only the Interop folder binds native code.</summary>
internal static partial class Libc
{
    /// <summary>The C library, resolved by the runtime's probing ("libc" finds glibc's libc.so.6 and musl's libc.so).</summary>
    internal const string Library = "libc";
}
