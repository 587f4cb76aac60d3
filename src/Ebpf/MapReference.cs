using Ebpf.Asm;

namespace Ebpf;

/// <summary>
/// A <c>lddw</c> of a <see cref="ProgramSpec"/> that refers to a map: the loader puts the map's file descriptor
/// into the immediate of slot <paramref name="Instruction"/> (the spec holds 0 there).
/// </summary>
/// <param name="Instruction">Index of the first slot of the <c>lddw</c> in <see cref="ProgramSpec.Instructions"/>.</param>
/// <param name="Map">The name of the map in <see cref="CollectionSpec.Maps"/>.</param>
/// <param name="Source">
/// <see cref="LoadImmediateSource.MapFd"/> (the map itself) or <see cref="LoadImmediateSource.MapValue"/> (an
/// address inside element 0: global data; the offset is in the second slot's immediate).
/// </param>
/// <param name="ValueOffset">For <see cref="LoadImmediateSource.MapValue"/>, the byte offset into the value.</param>
public readonly record struct MapReference(int Instruction, string Map, LoadImmediateSource Source, int ValueOffset);
