using System.Net.Sockets;
using System.Runtime.InteropServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A SocketFilter program on one socket (setsockopt SO_ATTACH_BPF, Linux 3.19+): it sees every packet the socket
/// would receive and returns how many bytes to keep (0 drops the packet for this socket only). A socket holds one
/// filter; attaching another replaces it atomically. Disposing detaches (SO_DETACH_BPF) unless the socket is closed,
/// which drops the filter anyway.
/// </summary>
public sealed class SocketFilter : IDisposable
{
    private readonly SafeHandle _socket;
    private bool _disposed;

    private SocketFilter(SafeHandle socket) => _socket = socket;

    /// <summary>Attaches <paramref name="program"/> to <paramref name="socket"/>.</summary>
    /// <exception cref="ArgumentException">The program is not a SocketFilter program.</exception>
    /// <exception cref="BpfException">EBADF/ENOTSOCK: not an open socket.</exception>
    public static SocketFilter Attach(KernelProgram program, Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return Attach(program, socket.SafeHandle);
    }

    /// <summary>Attaches <paramref name="program"/> to the socket behind <paramref name="socket"/> (any socket fd).</summary>
    /// <exception cref="ArgumentException">The program is not a SocketFilter program.</exception>
    /// <exception cref="BpfException">EBADF/ENOTSOCK: not an open socket.</exception>
    public static SocketFilter Attach(KernelProgram program, SafeHandle socket)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(socket);
        if (program.Type != ProgramType.SocketFilter) throw new ArgumentException($"{program} is not a SocketFilter program", nameof(program));
        Set(socket, program, $"attach {program} to socket {socket.DangerousGetHandle()}");
        return new SocketFilter(socket);
    }

    /// <summary>Replaces the socket's filter with <paramref name="program"/> (one setsockopt: no packet misses a filter).</summary>
    public void Update(KernelProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Set(_socket, program, $"replace the filter of socket {_socket.DangerousGetHandle()} with {program}");
    }

    /// <summary>Detaches the filter, unless the socket is closed already.</summary>
    public unsafe void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_socket.IsClosed) return;
        using var lease = new FdLease(_socket, out uint fd);
        int dummy = 0;
        if (Libc.SetSockOpt((int)fd, Libc.SolSocket, Libc.SoDetachBpf, &dummy, sizeof(int)) != 0 && Libc.LastErrno != Errno.ENOENT)
            throw BpfErrors.Create(Libc.LastErrno, "detach the filter of socket", fd.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static unsafe void Set(SafeHandle socket, KernelProgram program, string what)
    {
        using var s = new FdLease(socket, out uint fd);
        using var p = program.Handle.Lease(out uint progFd);
        int value = (int)progFd;
        if (Libc.SetSockOpt((int)fd, Libc.SolSocket, Libc.SoAttachBpf, &value, sizeof(int)) != 0)
            throw BpfErrors.Create(Libc.LastErrno, what, "");
    }
}
