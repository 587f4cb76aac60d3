namespace Ebpf.Testing;

/// <summary>
/// Waiting for a condition instead of sleeping a fixed time: the kernel finishes some work later (deferred frees, a
/// softirq delivering a packet, another process closing its temporary fd of our link), and later still on a loaded
/// 2-CPU machine or in a one-CPU emulated guest. The bound is generous because it costs nothing when the condition
/// holds early; a condition that never holds still fails, after the bound.
/// </summary>
public static class Wait
{
    /// <summary>The default bound: long enough for a loaded host or a TCG guest, short enough to fail a real hang.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    /// <summary>True as soon as <paramref name="condition"/> holds; false when it still does not after <paramref name="timeout"/>.</summary>
    public static bool Until(Func<bool> condition, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        long deadline = Environment.TickCount64 + (long)(timeout ?? Generous).TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 >= deadline) return condition();
            Thread.Sleep(20);
        }
        return true;
    }

    /// <summary>
    /// The value of <paramref name="read"/> once <paramref name="done"/> accepts it, or its last value after the bound
    /// (for the caller's assertion to show).
    /// </summary>
    public static T For<T>(Func<T> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        T value = read();
        long deadline = Environment.TickCount64 + (long)(timeout ?? Generous).TotalMilliseconds;
        while (!done(value) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(20);
            value = read();
        }
        return value;
    }
}
