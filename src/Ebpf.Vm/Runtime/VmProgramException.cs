namespace Ebpf.Vm;

/// <summary>
/// A program the VM refuses to load: an undefined instruction, a jump out of the program or into the middle of a
/// <c>lddw</c>, an unknown helper, a construct the VM does not support yet. Names the slot and the reason.
/// </summary>
public sealed class VmProgramException : Exception
{
    /// <summary>Creates the exception for slot <paramref name="slot"/>.</summary>
    /// <param name="slot">Slot index of the offending instruction (the program length when the problem is its end).</param>
    /// <param name="reason">What is wrong, without the position.</param>
    /// <param name="innerException">The decoding error this wraps, if any.</param>
    public VmProgramException(int slot, string reason, Exception? innerException = null)
        : base($"invalid program: instruction {slot}: {reason}", innerException)
    {
        Slot = slot;
        Reason = reason;
    }

    /// <summary>Slot index of the offending instruction.</summary>
    public int Slot { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}
