using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// A program loaded into the kernel, owned through <see cref="Handle"/>. Disposing closes this process's fd; the
/// program stays loaded while pinned, attached through a link, or held in a program array.
/// </summary>
public sealed partial class KernelProgram : IProgram, IDisposable
{
    private uint _id;

    internal KernelProgram(SafeBpfHandle handle, ProgramType type, string name, AttachType? expectedAttachType, string? verifierLog, uint id = 0)
    {
        Handle = handle;
        Type = type;
        Name = name;
        ExpectedAttachType = expectedAttachType;
        VerifierLog = verifierLog;
        _id = id;
    }

    /// <summary>The program's fd.</summary>
    public SafeBpfHandle Handle { get; }

    /// <summary>The program's type.</summary>
    public ProgramType Type { get; }

    /// <summary>The name the kernel holds (at most 15 characters).</summary>
    public string Name { get; }

    /// <summary>The attach type the program was verified for, when one was given (unknown for programs opened by id or pin).</summary>
    public AttachType? ExpectedAttachType { get; }

    /// <summary>The verifier's log of a successful load, when <see cref="ProgramLoadOptions.LogLevel"/> asked for one.</summary>
    public string? VerifierLog { get; }

    /// <summary>The kernel's id of the program (read once).</summary>
    public uint Id => _id != 0 ? _id : _id = Info().Id;

    /// <summary>Reads the program's info: tag, map ids, translated and jited instructions, run statistics.</summary>
    public ProgramInfo Info() => ProgramInfo.Get(Handle, Describe());

    /// <summary>Takes ownership of <paramref name="handle"/>, an fd of a program, reading its properties from the kernel.</summary>
    /// <exception cref="BpfException">The fd is not a BPF program.</exception>
    public static KernelProgram FromHandle(SafeBpfHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ProgramInfo info = ProgramInfo.Get(handle, $"program {handle}");
        return new KernelProgram(handle, info.Type, info.Name, null, null, info.Id);
    }

    /// <summary>Opens the loaded program with <paramref name="id"/>.</summary>
    /// <exception cref="BpfException">ENOENT: no such program.</exception>
    public static KernelProgram OpenById(uint id) => Adopt(KernelObjects.OpenProgramById(id));

    /// <summary>Closes this process's fd of the program.</summary>
    public void Dispose() => Handle.Dispose();

    /// <summary>The program's name and type, for messages.</summary>
    public override string ToString() => $"{Type} program '{Name}'";

    internal string Describe() => Name.Length > 0 ? $"'{Name}'" : $"({Type}, {Handle})";
}
