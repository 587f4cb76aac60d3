using Ebpf.Asm;
using Ebpf.Vm.Helpers;
using Ebpf.Vm.Maps;
using Ebpf.Vm.Runtime;

namespace Ebpf.Vm;

/// <summary>
/// A <see cref="CollectionSpec"/> loaded into the userspace VM, the twin of the kernel backend's
/// <c>KernelCollection</c>: its maps created with the kernel's semantics (global data with its initial bytes,
/// <c>.rodata</c> and <c>.kconfig</c> frozen and read-only to programs) and its programs loaded with their map
/// references bound and the map helpers available. Control-plane code written against <see cref="ILoadedCollection"/>
/// runs unchanged on either.
/// </summary>
public sealed class VmCollection : ILoadedCollection
{
    private readonly Dictionary<string, VmMap> _maps;
    private readonly Dictionary<string, VmCollectionProgram> _programs;

    private VmCollection(CollectionSpec spec, Dictionary<string, VmMap> maps, Dictionary<string, VmCollectionProgram> programs)
    {
        (Spec, _maps, _programs) = (spec, maps, programs);
        Programs = programs.ToDictionary(p => p.Key, p => p.Value.Program, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public CollectionSpec Spec { get; }

    /// <summary>The maps by spec name.</summary>
    public IReadOnlyDictionary<string, VmMap> Maps => _maps;

    /// <summary>The programs by name (those with <see cref="ProgramSpec.AutoLoad"/>).</summary>
    public IReadOnlyDictionary<string, VmProgram> Programs { get; }

    /// <inheritdoc/>
    public IEnumerable<string> ProgramNames => _programs.Keys;

    /// <inheritdoc/>
    public IEnumerable<string> MapNames => _maps.Keys;

    /// <summary>Loads <paramref name="spec"/>: maps first, then programs, as the kernel backend does.</summary>
    /// <param name="spec">The collection; CO-RE relocations must be resolved (read it with a target BTF).</param>
    /// <param name="options">
    /// How programs are loaded (engine, budget, CPU); its helper table gets the map helpers added. Null for the
    /// defaults.
    /// </param>
    /// <param name="mapOptions">How maps are created (CPU count of per-CPU maps, hash seed); null for the defaults.</param>
    /// <exception cref="MapException">A map has a type the VM does not implement, or sizes its type refuses.</exception>
    /// <exception cref="VmProgramException">A program cannot run in the VM (the message names it and its instruction).</exception>
    /// <exception cref="InvalidOperationException">A program still has CO-RE relocations or ksyms to resolve.</exception>
    public static VmCollection Load(CollectionSpec spec, VmOptions? options = null, VmMapOptions? mapOptions = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new VmOptions();
        // The map and standard helpers, under the caller's own (which win for ids they register).
        HelperTable helpers = MapHelpers.Register(PacketHelpers.Register(StandardHelpers.Register(new HelperTable())));
        foreach (int id in options.Helpers.Ids)
            if (options.Helpers.TryGet(id, out HelperFunction helper)) helpers.Register(id, helper);
        var maps = new Dictionary<string, VmMap>(StringComparer.Ordinal);
        var programs = new Dictionary<string, VmCollectionProgram>(StringComparer.Ordinal);
        try
        {
            foreach (MapSpec map in spec.Maps)
            {
                VmMap created = maps[map.Name] = VmMapFactory.Create(map, mapOptions);
                if (map.Freeze) created.Freeze();
            }
            foreach (ProgramSpec program in spec.Programs.Where(p => p.AutoLoad))
                programs[program.Name] = new VmCollectionProgram(program, LoadProgram(spec, program, maps, options with { Helpers = helpers }));
            FillSlots(spec, maps, programs);
            return new VmCollection(spec, maps, programs);
        }
        catch
        {
            foreach (VmMap m in maps.Values) m.Dispose();
            throw;
        }
    }

    /// <summary>The program named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such program (the message lists the ones there are).</exception>
    public VmProgram Program(string name) => Find(name).Program;

    /// <summary>The map named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such map (the message lists the ones there are).</exception>
    public VmMap Map(string name) => _maps.TryGetValue(name, out VmMap? m) ? m
        : throw new KeyNotFoundException($"no map '{name}' in {Spec.ObjectName}; it has {string.Join(", ", _maps.Keys)}");

    /// <inheritdoc/>
    public IProgram GetProgram(string name) => Find(name);

    /// <summary>
    /// Puts program <paramref name="program"/> into slot <paramref name="index"/> of program array
    /// <paramref name="programArray"/> (null empties it), where <c>bpf_tail_call</c> finds it.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such map or program.</exception>
    /// <exception cref="InvalidOperationException">The map is no program array.</exception>
    /// <exception cref="MapException">The slot is past the array's end (E2BIG).</exception>
    public void SetProgram(string programArray, uint index, string? program)
    {
        if (Map(programArray) is not VmProgramArray jumps) throw new InvalidOperationException($"map '{programArray}' is no program array");
        jumps.Set(index, program is null ? null : Find(program).Program.Image);
    }

    /// <inheritdoc/>
    public IMap<TKey, TValue> GetMap<TKey, TValue>(string name) where TKey : unmanaged where TValue : unmanaged => Map(name).As<TKey, TValue>();

    /// <summary>Frees every map; the programs must no longer run.</summary>
    public void Dispose()
    {
        foreach (VmMap m in _maps.Values) m.Dispose();
    }

    private VmCollectionProgram Find(string name) => _programs.TryGetValue(name, out VmCollectionProgram? p) ? p
        : throw new KeyNotFoundException($"no program '{name}' in {Spec.ObjectName}; it has {string.Join(", ", _programs.Keys)}");

    // Maps of maps start with the inner maps the object names (`.values = { [0] = &inner }`).
    private static void FillSlots(CollectionSpec spec, Dictionary<string, VmMap> maps, Dictionary<string, VmCollectionProgram> programs)
    {
        Span<byte> key = stackalloc byte[4];
        foreach (MapSpec map in spec.Maps)
            foreach (MapSlot slot in map.InitialSlots)
            {
                if (maps[map.Name] is VmProgramArray jumps)
                {
                    // Program arrays start with the programs the object names (`.values = { [1] = &prog }`).
                    VmCollectionProgram target = programs.TryGetValue(slot.Target, out VmCollectionProgram? p) ? p
                        : throw new InvalidOperationException($"map '{map.Name}' slot {slot.Index} names program '{slot.Target}', which was not loaded");
                    jumps.Set(slot.Index, target.Program.Image);
                    continue;
                }
                VmMap inner = maps.TryGetValue(slot.Target, out VmMap? m) ? m
                    : throw new InvalidOperationException($"map '{map.Name}' slot {slot.Index} names map '{slot.Target}', which {spec.ObjectName} does not define");
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, slot.Index);
                ((VmMapOfMaps)maps[map.Name]).SetInner(key[..maps[map.Name].KeySize], inner);
            }
    }

    // Every program's map table is the whole collection (in spec order), so a map of maps can hand any of them out.
    private static VmProgram LoadProgram(CollectionSpec collection, ProgramSpec spec, Dictionary<string, VmMap> maps, VmOptions options)
    {
        if (spec.HasPendingCoRe)
            throw new InvalidOperationException($"program '{spec.Name}' of {collection.ObjectName} has CO-RE relocations or ksyms left: read the object with CollectionLoadOptions.TargetBtf");
        Instruction[] code = [.. spec.Instructions];
        List<VmMap> table = [.. collection.Maps.Select(m => maps[m.Name])];
        if (table.Count > VmAddressSpace.MaxMapsPerProgram)
            throw new MapException($"{collection.ObjectName} has {table.Count} maps; the VM gives a program at most {VmAddressSpace.MaxMapsPerProgram}", MapResult.NotSupported);
        foreach (MapReference reference in spec.MapReferences)
        {
            if (!maps.TryGetValue(reference.Map, out VmMap? map))
                throw new VmProgramException(reference.Instruction, $"program '{spec.Name}' refers to map '{reference.Map}', which {collection.ObjectName} does not define");
            if ((uint)reference.Instruction >= (uint)code.Length || !code[reference.Instruction].IsLoadImm64)
                throw new VmProgramException(Math.Clamp(reference.Instruction, 0, code.Length - 1), $"program '{spec.Name}': the reference to map '{reference.Map}' is at instruction {reference.Instruction}, which is no lddw");
            code[reference.Instruction] = code[reference.Instruction].WithImmediate(table.IndexOf(map));
        }
        try
        {
            return VmProgram.Load(code, options with { Maps = table, ProgramType = spec.Type });
        }
        catch (VmProgramException e)
        {
            throw new VmProgramException(e.Slot, $"program '{spec.Name}' of {collection.ObjectName}: {e.Reason}", e);
        }
    }
}
