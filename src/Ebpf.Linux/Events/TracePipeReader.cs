using System.Runtime.CompilerServices;
using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Events;

/// <summary>
/// Streams the kernel's trace_pipe (where bpf_trace_printk writes), parsed into <see cref="TraceLine"/> values. The
/// pipe is opened non-blocking and waited on with epoll, so cancellation and dispose end a read promptly. Reading
/// trace_pipe consumes the lines: only one reader on the system sees each line.
/// </summary>
public sealed class TracePipeReader : IDisposable
{
    private static readonly string[] s_candidates = ["/sys/kernel/tracing/trace_pipe", "/sys/kernel/debug/tracing/trace_pipe"];
    private readonly SafeFdHandle _pipe;
    private readonly EpollWaiter _waiter;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly StringBuilder _partial = new();

    /// <summary>Opens <paramref name="path"/> (default: <see cref="FindPath"/>).</summary>
    /// <exception cref="FileNotFoundException">tracefs is mounted at neither /sys/kernel/tracing nor /sys/kernel/debug/tracing.</exception>
    /// <exception cref="BpfException">open or epoll failed (EACCES/EPERM: tracing needs root; EBUSY: another reader has the pipe).</exception>
    public TracePipeReader(string? path = null)
    {
        Path = path ?? FindPath() ?? throw new FileNotFoundException(
            $"no trace_pipe at {string.Join(" or ", s_candidates)}: mount tracefs (mount -t tracefs nodev /sys/kernel/tracing)");
        // EBUSY: the kernel allows one trace_pipe reader at a time (another tool, or another TracePipeReader, has it open).
        _pipe = SafeFdHandle.Check(Libc.Open(Path, Libc.OpenReadOnly | Libc.OpenNonblock | Libc.OpenCloexec), "open (one reader at a time)", Path);
        try
        {
            _waiter = new EpollWaiter(Path);
            _waiter.Add(_pipe, 0);
        }
        catch
        {
            _pipe.Dispose();
            throw;
        }
    }

    /// <summary>The trace_pipe being read.</summary>
    public string Path { get; }

    /// <summary>The first trace_pipe that exists (tracefs, then the debugfs mount), or null.</summary>
    public static string? FindPath() => s_candidates.FirstOrDefault(File.Exists);

    /// <summary>Streams the lines that parse as <see cref="TraceLine"/> (others are skipped) until cancellation or dispose.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async IAsyncEnumerable<TraceLine> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (string line in ReadLinesAsync(cancellationToken).ConfigureAwait(false))
            if (TraceLine.TryParse(line, out TraceLine? parsed)) yield return parsed!;
    }

    /// <summary>Streams the raw lines (without the newline) until cancellation or dispose.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async IAsyncEnumerable<string> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lines = new List<string>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lines.Clear();
            int read = ReadAvailable(lines);
            foreach (string line in lines) yield return line;
            if (read < 0) yield break;                                 // disposed
            if (read == 0 && !await _waiter.WaitAsync(cancellationToken).ConfigureAwait(false)) yield break;
        }
    }

    /// <summary>Wakes a blocked read and closes the pipe.</summary>
    public void Dispose()
    {
        _waiter.Dispose();
        _pipe.Dispose();
    }

    /// <summary>Reads what the pipe holds now into complete lines; 0 when empty, -1 once disposed.</summary>
    private unsafe int ReadAvailable(List<string> lines)
    {
        bool added = false;
        try
        {
            _pipe.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        try
        {
            fixed (byte* b = _buffer)
            {
                nint n;
                while ((n = Libc.Read((int)_pipe.DangerousGetHandle(), b, (nuint)_buffer.Length)) < 0 && Libc.LastErrno == Errno.EINTR) { }
                if (n < 0)
                {
                    Errno e = Libc.LastErrno;
                    return e == Errno.EAGAIN ? 0 : throw BpfErrors.Create(e, "read", Path);
                }
                if (n == 0) return 0;
                _partial.Append(Encoding.UTF8.GetString(b, (int)n));
            }
        }
        finally
        {
            _pipe.DangerousRelease();
        }
        string text = _partial.ToString();
        int start = 0;
        for (int nl; (nl = text.IndexOf('\n', start)) >= 0; start = nl + 1)
            lines.Add(text[start..nl]);
        _partial.Clear().Append(text, start, text.Length - start);
        return 1;
    }
}
