namespace Ebpf.Linux;

/// <summary>A bpf() (or related) system call failed; the message names the operation, the object and the errno.</summary>
public class BpfException : IOException
{
    /// <summary>Creates an exception for <paramref name="errno"/>.</summary>
    public BpfException(string message, Errno errno) : base(message, -(int)errno) => Errno = errno;

    /// <summary>Creates an exception for <paramref name="errno"/> with an inner exception.</summary>
    public BpfException(string message, Errno errno, Exception? inner) : base(message, inner) => (Errno, HResult) = (errno, -(int)errno);

    /// <summary>Creates an exception without an errno.</summary>
    public BpfException() : this("bpf() failed", Errno.None) { }

    /// <summary>Creates an exception without an errno.</summary>
    public BpfException(string message) : this(message, Errno.None) { }

    /// <summary>Creates an exception without an errno.</summary>
    public BpfException(string message, Exception inner) : this(message, Errno.None, inner) { }

    /// <summary>The raw error number the kernel returned.</summary>
    public Errno Errno { get; }
}
