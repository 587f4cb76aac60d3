using Ebpf.Btf;

namespace Ebpf;

/// <summary>
/// A CO-RE relocation left for load time because the object was read without a target BTF: which instruction of the
/// program's final stream it patches, and the <c>.BTF.ext</c> record that says how (against the object's own BTF).
/// </summary>
/// <param name="Instruction">Index into <see cref="ProgramSpec.Instructions"/> (subprograms already appended).</param>
/// <param name="Relocation">The record, as the object holds it (its instruction offset is the section's).</param>
/// <param name="Section">The executable section the record belongs to, for error messages.</param>
public readonly record struct PendingCoReRelocation(int Instruction, BtfCoReRelocation Relocation, string Section);
