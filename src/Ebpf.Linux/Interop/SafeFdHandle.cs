using Microsoft.Win32.SafeHandles;

namespace Ebpf.Linux.Interop;

/// <summary>An fd that is not a BPF object (epoll, eventfd, perf event, trace_pipe), closed exactly once.</summary>
internal sealed class SafeFdHandle : SafeHandleMinusOneIsInvalid
{
    private SafeFdHandle() : base(ownsHandle: true) { }

    /// <summary>Takes ownership of <paramref name="fd"/>, or throws for a negative result with the errno of the call.</summary>
    internal static SafeFdHandle Check(int fd, string operation, string subject)
    {
        if (fd < 0) throw BpfErrors.Create(Libc.LastErrno, operation, subject);
        var h = new SafeFdHandle();
        h.SetHandle(fd);
        return h;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
