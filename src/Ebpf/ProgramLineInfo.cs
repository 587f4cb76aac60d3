namespace Ebpf;

/// <summary>
/// A <c>bpf_line_info</c> record for the kernel: the source position of an instruction of the final program.
/// </summary>
/// <param name="Instruction">Index in <see cref="ProgramSpec.Instructions"/>.</param>
/// <param name="FileNameOffset">Offset of the file name in the object's BTF string section (what the kernel takes).</param>
/// <param name="LineOffset">Offset of the source line text in the BTF string section.</param>
/// <param name="LineNumber">1-based line number.</param>
/// <param name="Column">Column (10 bits in the kernel record).</param>
/// <param name="FileName">The file name.</param>
/// <param name="Line">The source line text.</param>
public readonly record struct ProgramLineInfo(int Instruction, uint FileNameOffset, uint LineOffset, uint LineNumber, uint Column,
    string FileName, string Line);
