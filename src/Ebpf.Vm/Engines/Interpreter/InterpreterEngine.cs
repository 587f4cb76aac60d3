using Ebpf.Vm.Runtime;

namespace Ebpf.Vm.Engines.Interpreter;

/// <summary>The interpreter: a program decoded once (<see cref="ProgramDecoder"/>) and run by <see cref="InterpreterLoop"/>.</summary>
internal sealed class InterpreterEngine : IExecutionEngine
{
    private unsafe InterpreterEngine(ProgramImage image, DecodedInstruction[] decoded)
    {
        (Image, Decoded) = (image, decoded);
        // The decoder allocates on the pinned heap: the loop keeps this pointer, and a tail call switches to another's.
        Ops = (DecodedInstruction*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(decoded));
        image.Engine = this;
    }

    /// <summary>The first decoded instruction (the array is pinned for the engine's life).</summary>
    public unsafe DecodedInstruction* Ops { get; }

    /// <summary>The program as loaded, with its helpers and budget.</summary>
    public ProgramImage Image { get; }

    /// <summary>One decoded entry per instruction slot, so a slot index is a pc.</summary>
    public DecodedInstruction[] Decoded { get; }

    /// <summary>Validates and decodes <paramref name="image"/>.</summary>
    /// <exception cref="VmProgramException">The first thing the interpreter cannot run, with its slot.</exception>
    public static InterpreterEngine Create(ProgramImage image) =>
        new(image, ProgramDecoder.Decode(image.Instructions.AsSpan(), image.Helpers, image.MapRegions, image.PacketContext));

    /// <inheritdoc/>
    public ulong Run(ReadOnlySpan<VmMemoryRegion> regions, ulong r1, ulong r2, ref PacketWindow window) => InterpreterLoop.Run(this, regions, r1, r2, ref window);
}
