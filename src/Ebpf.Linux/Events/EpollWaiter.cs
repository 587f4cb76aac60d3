using System.Runtime.InteropServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Events;

/// <summary>
/// An epoll fd plus an eventfd registered in it: waits for any of several fds to become readable, and can be woken
/// from another thread (cancellation, dispose) without closing an fd under a blocked epoll_wait.
/// </summary>
internal sealed class EpollWaiter : IDisposable
{
    /// <summary>epoll_wait's timeout for <paramref name="timeout"/>: -1 for infinite, otherwise whole milliseconds rounded up.</summary>
    public static int Milliseconds(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 0, int.MaxValue);

    private const ulong WakeToken = ulong.MaxValue;
    private readonly SafeFdHandle _epoll;
    private readonly SafeFdHandle _wake;
    private readonly string _subject;
    private volatile bool _disposed;

    internal EpollWaiter(string subject)
    {
        _subject = subject;
        _epoll = SafeFdHandle.Check(Libc.EpollCreate1(Libc.EpollCloexec), "create epoll for", subject);
        try
        {
            _wake = SafeFdHandle.Check(Libc.EventFd(0, Libc.EventFdCloexec | Libc.EventFdNonblock), "create eventfd for", subject);
            Add(_wake, WakeToken);
        }
        catch
        {
            _epoll.Dispose();
            _wake?.Dispose();
            throw;
        }
    }

    /// <summary>True once <see cref="Dispose"/> ran.</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>Watches <paramref name="fd"/> for EPOLLIN; <paramref name="token"/> comes back from <see cref="Wait"/>.</summary>
    internal void Add(SafeHandle fd, ulong token)
    {
        using var e = new FdLease(_epoll, out uint epfd);
        using var f = new FdLease(fd, out uint target);
        if (Libc.EpollAdd((int)epfd, (int)target, token) < 0) throw BpfErrors.Create(Libc.LastErrno, "add to epoll", $"{_subject} fd {target}");
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> (-1: forever) for watched fds; writes their tokens into
    /// <paramref name="ready"/>. Returns how many are ready, 0 on timeout, -1 when woken by <see cref="Wake"/> or dispose.
    /// </summary>
    internal unsafe int Wait(int timeoutMs, Span<ulong> ready)
    {
        if (_disposed) return -1;
        int max = Math.Max(1, Math.Min(ready.Length, 64));
        byte* events = stackalloc byte[64 * 16];
        bool added = false, wakeAdded = false;
        try
        {
            _epoll.DangerousAddRef(ref added);   // throws once closed: the fd number cannot be reused under us
            // Closing the eventfd would remove it, and its pending wake, from the epoll set: keep it open while waiting.
            _wake.DangerousAddRef(ref wakeAdded);
        }
        catch (ObjectDisposedException)
        {
            if (added) _epoll.DangerousRelease();
            return -1;
        }
        try
        {
            long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
            int n;
            while (true)
            {
                int wait = timeoutMs < 0 ? -1 : (int)Math.Max(0, deadline - Environment.TickCount64);
                n = Libc.EpollWait((int)_epoll.DangerousGetHandle(), events, max, wait);
                if (n >= 0) break;
                Errno e = Libc.LastErrno;
                if (e != Errno.EINTR) throw BpfErrors.Create(e, "epoll_wait for", _subject);   // signals (GC suspension, debugger) interrupt
            }
            int count = 0;
            bool woken = false;
            for (int i = 0; i < n; i++)
            {
                ulong token = *(ulong*)(events + i * Libc.EpollEventSize + Libc.EpollDataOffset);
                if (token == WakeToken) woken = true;
                else if (count < ready.Length) ready[count++] = token;
            }
            if (woken || _disposed)
            {
                if (!_disposed) DrainWake();     // a cancellation's wake must not end the next wait too
                return count > 0 && !_disposed ? count : -1;
            }
            return count;
        }
        finally
        {
            _wake.DangerousRelease();
            _epoll.DangerousRelease();
        }
    }

    /// <summary>
    /// Waits on a thread-pool thread until a watched fd is readable; false once disposed. The wait is a blocking
    /// epoll_wait (the runtime's own epoll loop does not accept foreign fds); cancellation wakes it through the eventfd.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    internal async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_disposed) return false;
        if (Wait(0, stackalloc ulong[1]) > 0) return true;          // data already there: no thread hop
        using var registration = cancellationToken.UnsafeRegister(static s => ((EpollWaiter)s!).Wake(), this);
        while (true)
        {
            int n = await Task.Factory.StartNew(static s => ((EpollWaiter)s!).Wait(-1, stackalloc ulong[1]), this,
                CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false);
            if (_disposed) return false;
            cancellationToken.ThrowIfCancellationRequested();
            if (n > 0) return true;
        }
    }

    /// <summary>Makes a blocked (or the next) <see cref="Wait"/> return -1.</summary>
    internal unsafe void Wake()
    {
        ulong one = 1;
        bool added = false;
        try
        {
            _wake.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        try
        {
            _ = Libc.Write((int)_wake.DangerousGetHandle(), (byte*)&one, 8);   // EAGAIN only when the counter is already huge: still woken
        }
        finally
        {
            _wake.DangerousRelease();
        }
    }

    private unsafe void DrainWake()
    {
        ulong value;
        bool added = false;
        try
        {
            _wake.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return;   // disposed meanwhile: the wake stays set, as it should
        }
        try
        {
            _ = Libc.Read((int)_wake.DangerousGetHandle(), (byte*)&value, 8);
        }
        finally
        {
            _wake.DangerousRelease();
        }
    }

    /// <summary>Wakes any blocked wait, then closes both fds (epoll's close waits for the waiter's reference to drop).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Wake();
        _epoll.Dispose();
        _wake.Dispose();
    }
}
