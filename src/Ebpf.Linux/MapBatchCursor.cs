namespace Ebpf.Linux;

/// <summary>
/// Where a batch walk over a map stands: the kernel's opaque <c>out_batch</c> token of the previous call. Start with a
/// new cursor; reuse it for each following call until <see cref="IsComplete"/>.
/// </summary>
public sealed class MapBatchCursor
{
    // Hash maps use a 4-byte bucket index, arrays a key: 8 bytes or the key size covers both. Two buffers, swapped
    // after each successful call, so the last out_batch is the next in_batch without copying or allocating; a failed
    // call (ENOSPC: larger buffers needed) leaves the position where it was.
    internal byte[] Token { get; private set; } = [];

    internal byte[] Scratch { get; private set; } = [];

    internal bool Started { get; set; }

    /// <summary>True once the kernel reported the end of the map.</summary>
    public bool IsComplete { get; internal set; }

    internal byte[] EnsureToken(int keySize)
    {
        int size = Math.Max(keySize, 8);
        if (Token.Length < size) (Token, Scratch) = (new byte[size], new byte[size]);
        return Token;
    }

    /// <summary>The out_batch just written into <see cref="Scratch"/> becomes the position.</summary>
    internal void Advance() => (Token, Scratch) = (Scratch, Token);

    /// <summary>Starts over from the beginning of the map.</summary>
    public void Reset() => (Started, IsComplete) = (false, false);
}
