using System.Runtime.CompilerServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

// Queue, stack and bloom filter maps have no keys: the element commands run with a NULL key.
public sealed partial class KernelMap
{
    /// <summary>Pushes onto a queue or stack, or adds to a bloom filter.</summary>
    /// <param name="value">The value.</param>
    /// <param name="flags"><see cref="MapUpdateFlags.Exist"/> makes a full queue or stack drop its oldest element instead of failing.</param>
    /// <exception cref="BpfException">E2BIG: the queue or stack is full.</exception>
    public unsafe void Push<TValue>(in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) where TValue : unmanaged
    {
        CheckKeyless<TValue>();
        fixed (TValue* v = &value)
            ThrowUnlessFound(ElementOp(BpfCommand.MapUpdateElem, null, v, (ulong)flags, "push to map"), "push to map");
    }

    /// <summary>Removes and returns the head of a queue (oldest) or stack (newest); false when empty.</summary>
    public unsafe bool TryPop<TValue>(out TValue value) where TValue : unmanaged
    {
        CheckKeyless<TValue>();
        value = default;
        fixed (TValue* v = &value)
            return ElementOp(BpfCommand.MapLookupAndDeleteElem, null, v, 0, "pop from map");
    }

    /// <summary>Returns the head of a queue or stack without removing it; false when empty.</summary>
    public unsafe bool TryPeek<TValue>(out TValue value) where TValue : unmanaged
    {
        CheckKeyless<TValue>();
        value = default;
        fixed (TValue* v = &value)
            return ElementOp(BpfCommand.MapLookupElem, null, v, 0, "peek in map");
    }

    /// <summary>Asks a bloom filter about <paramref name="value"/>: false means certainly absent, true means probably present.</summary>
    public unsafe bool MightContain<TValue>(in TValue value) where TValue : unmanaged
    {
        CheckKeyless<TValue>();
        TValue copy = value;   // the kernel reads the value through the lookup's value pointer
        return ElementOp(BpfCommand.MapLookupElem, null, &copy, 0, "query bloom filter");
    }

    private void CheckKeyless<TValue>() where TValue : unmanaged
    {
        if (KeySize != 0)
            throw new InvalidOperationException($"map {Describe()} has keys ({Type}); push/pop/peek are for queue, stack and bloom filter maps");
        if (Unsafe.SizeOf<TValue>() != ValueSize)
            throw new ArgumentException($"map {Describe()}: value is {ValueSize} bytes, {typeof(TValue).Name} is {Unsafe.SizeOf<TValue>()}");
    }
}
