using System.Buffers.Binary;
using Ebpf.Asm;
using Ebpf.Btf;

namespace Ebpf.Linux;

/// <summary>
/// A <see cref="CollectionSpec"/> loaded into the kernel: its maps (created, filled, <c>.rodata</c> frozen, pinned
/// by name where asked) and its programs (map fds wired into their <c>lddw</c>s). Disposing closes every fd; objects
/// stay alive only where pinned or attached. A failure part-way closes everything created so far.
/// </summary>
public sealed class KernelCollection : ILoadedCollection
{
    private readonly SafeBpfHandle? _btf;

    private KernelCollection(CollectionSpec spec, SafeBpfHandle? btf, Dictionary<string, KernelMap> maps, Dictionary<string, KernelProgram> programs)
    {
        Spec = spec;
        _btf = btf;
        Maps = maps;
        Programs = programs;
    }

    /// <summary>The spec this collection was loaded from (never modified by the load).</summary>
    public CollectionSpec Spec { get; }

    /// <summary>The maps by spec name.</summary>
    public IReadOnlyDictionary<string, KernelMap> Maps { get; }

    /// <summary>The programs by name (those with <see cref="ProgramSpec.AutoLoad"/>).</summary>
    public IReadOnlyDictionary<string, KernelProgram> Programs { get; }

    /// <summary>Loads <paramref name="spec"/>: maps first, then programs, like libbpf's bpf_object__load.</summary>
    /// <remarks>
    /// CO-RE relocations and typed ksyms the spec left open (read without <see cref="CollectionLoadOptions.TargetBtf"/>)
    /// are resolved here against the running kernel's BTF (<see cref="KernelBtf.TryGetVmlinux"/>), as libbpf and
    /// cilium/ebpf do; <see cref="Spec"/> stays the spec as given.
    /// </remarks>
    /// <exception cref="BpfVerifierException">A program was rejected; carries the complete verifier log.</exception>
    /// <exception cref="KernelFeatureMissingException">CO-RE relocations are pending and the kernel exposes no BTF.</exception>
    /// <exception cref="Ebpf.CoRe.CoReException">A pending CO-RE relocation cannot be resolved against the running kernel.</exception>
    /// <exception cref="BpfException">A map or program could not be created; says which and why.</exception>
    public static KernelCollection Load(CollectionSpec spec, KernelCollectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= KernelCollectionOptions.Default;
        CollectionSpec given = spec;
        spec = ResolvePending(spec);
        var maps = new Dictionary<string, KernelMap>(StringComparer.Ordinal);
        var programs = new Dictionary<string, KernelProgram>(StringComparer.Ordinal);
        SafeBpfHandle? btf = null;
        try
        {
            BtfSpec? loadedBtf = null;
            if (options.LoadBtf && spec.Btf is not null) (btf, loadedBtf) = TryLoadBtf(spec.Btf);
            foreach (MapSpec map in spec.Maps)
                maps[map.Name] = CreateMap(map, btf, loadedBtf, options);
            KernelMap? rodata = spec.Maps.FirstOrDefault(m => m.Kind == MapKind.ReadOnlyData && m.SectionName == ".rodata") is { } r ? maps[r.Name] : null;
            foreach (ProgramSpec program in spec.Programs)
            {
                if (!program.AutoLoad) continue;
                KernelProgram loaded = programs[program.Name] = LoadProgram(spec, program, maps, btf, options);
                if (rodata is not null) BindRodata(loaded, rodata);
            }
            FillSlots(spec, maps, programs);
            return new KernelCollection(given, btf, maps, programs);
        }
        catch
        {
            foreach (KernelProgram p in programs.Values) p.Dispose();
            foreach (KernelMap m in maps.Values) m.Dispose();
            btf?.Dispose();
            throw;
        }
    }

    /// <summary>The program named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such program (the message lists the ones there are).</exception>
    public KernelProgram Program(string name) => Programs.TryGetValue(name, out KernelProgram? p) ? p
        : throw new KeyNotFoundException($"no program '{name}' in {Spec.ObjectName}; it has {string.Join(", ", Programs.Keys)}");

    /// <summary>The map named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such map (the message lists the ones there are).</exception>
    public KernelMap Map(string name) => Maps.TryGetValue(name, out KernelMap? m) ? m
        : throw new KeyNotFoundException($"no map '{name}' in {Spec.ObjectName}; it has {string.Join(", ", Maps.Keys)}");

    /// <inheritdoc/>
    public IEnumerable<string> ProgramNames => Programs.Keys;

    /// <inheritdoc/>
    public IEnumerable<string> MapNames => Maps.Keys;

    /// <inheritdoc/>
    public IProgram GetProgram(string name) => Program(name);

    /// <inheritdoc/>
    /// <remarks>The view shares the collection's map: do not dispose it; disposing the collection closes the map.</remarks>
    public IMap<TKey, TValue> GetMap<TKey, TValue>(string name) where TKey : unmanaged where TValue : unmanaged => Map(name).As<TKey, TValue>();

    /// <summary>Closes every program and map fd (pinned or attached objects stay in the kernel).</summary>
    public void Dispose()
    {
        foreach (KernelProgram p in Programs.Values) p.Dispose();
        foreach (KernelMap m in Maps.Values) m.Dispose();
        _btf?.Dispose();
    }

    private static CollectionSpec ResolvePending(CollectionSpec spec)
    {
        ProgramSpec? pending = spec.Programs.FirstOrDefault(p => p.AutoLoad && p.HasPendingCoRe);
        if (pending is null) return spec;
        if (!KernelBtf.TryGetVmlinux(out BtfSpec? target)) throw new KernelFeatureMissingException("vmlinux BTF (CONFIG_DEBUG_INFO_BTF)",
            $"program '{pending.Name}' of {spec.ObjectName} has CO-RE relocations and this kernel exposes no {KernelBtf.VmlinuxPath}; " +
            "read the object with CollectionLoadOptions.TargetBtf set to a BTF of this kernel", "5.5");
        return spec.ResolveKernelReferences(target);
    }

    // The object's BTF made acceptable to this kernel (ObjectBtfSanitizer); should the kernel still refuse it, load
    // without BTF, as libbpf does: programs lose func/line info, maps their key/value types.
    private static (SafeBpfHandle?, BtfSpec?) TryLoadBtf(BtfSpec btf)
    {
        BtfSpec sanitized = ObjectBtfSanitizer.Sanitize(btf);
        try { return (KernelBtf.Load(BtfWriter.WritePreservingStrings(sanitized)), sanitized); }
        catch (BpfException) { return (null, null); }
    }

    private static KernelMap CreateMap(MapSpec spec, SafeBpfHandle? btf, BtfSpec? loadedBtf, KernelCollectionOptions options)
    {
        string pin = Path.Combine(options.PinPath, spec.Name);
        if (spec.Pinning == MapPinning.ByName && File.Exists(pin))
        {
            KernelMap existing = KernelMap.OpenPinned(pin, PinAccess.ReadWrite);
            if (existing.Type != spec.Type || existing.KeySize != (int)spec.KeySize || existing.ValueSize != (int)spec.ValueSize
                || existing.MaxEntries != (int)spec.MaxEntries)
            {
                existing.Dispose();
                throw new InvalidOperationException(
                    $"map '{spec.Name}': the map pinned at {pin} is incompatible ({existing.Type} {existing.KeySize}/{existing.ValueSize}/{existing.MaxEntries}, " +
                    $"the object wants {spec.Type} {spec.KeySize}/{spec.ValueSize}/{spec.MaxEntries}); unpin it or rename the map");
            }
            return existing;
        }

        KernelMap? inner = spec.InnerMap is { } innerSpec ? CreateMap(innerSpec with { Pinning = MapPinning.None }, btf, loadedBtf, options) : null;
        KernelMap map;
        try
        {
            // Global data maps describe their value with their section's DATASEC, unless it had to be replaced.
            bool withBtf = btf is not null && spec.BtfValueTypeId != 0
                && (spec.Kind == MapKind.Btf || loadedBtf?[spec.BtfValueTypeId] is BtfDataSec);
            var create = new MapCreateOptions
            {
                Type = spec.Type,
                KeySize = (int)spec.KeySize,
                ValueSize = (int)spec.ValueSize,
                MaxEntries = (int)spec.MaxEntries,
                Name = spec.KernelName,
                Flags = (MapFlags)spec.Flags,
                InnerMap = inner,
                NumaNode = spec.NumaNode != 0 ? (int)spec.NumaNode : null,
                MapExtra = spec.MapExtra,
                Btf = withBtf ? btf : null,
                BtfKeyTypeId = withBtf ? (int)spec.BtfKeyTypeId : 0,
                BtfValueTypeId = withBtf ? (int)spec.BtfValueTypeId : 0,
            };
            try
            {
                map = KernelMap.Create(create);
            }
            catch (BpfException) when (withBtf)
            {
                // libbpf's "retrying without BTF": an older kernel may refuse the types (e.g. a spin lock's layout).
                map = KernelMap.Create(create with { Btf = null, BtfKeyTypeId = 0, BtfValueTypeId = 0 });
            }
        }
        finally
        {
            inner?.Dispose(); // the kernel keeps only the inner map's shape
        }
        try
        {
            if (!spec.InitialValue.IsEmpty)
            {
                Span<byte> key = stackalloc byte[4];
                map.Update(key, spec.InitialValue.AsSpan());
            }
            if (spec.Freeze) map.Freeze();
            if (spec.Pinning == MapPinning.ByName) map.Pin(pin);
            return map;
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    private static KernelProgram LoadProgram(CollectionSpec collection, ProgramSpec spec, Dictionary<string, KernelMap> maps,
        SafeBpfHandle? btf, KernelCollectionOptions options)
    {
        Instruction[] instructions = [.. spec.Instructions];
        foreach (MapReference reference in spec.MapReferences)
        {
            if (!maps.TryGetValue(reference.Map, out KernelMap? map))
                throw new InvalidOperationException($"program '{spec.Name}' instruction {reference.Instruction} refers to map '{reference.Map}', which the object does not define");
            instructions[reference.Instruction] = instructions[reference.Instruction].WithImmediate(map.Handle.DangerousGetHandle().ToInt32());
        }
        bool withBtf = btf is not null && !spec.FuncInfo.IsEmpty;
        // The map fds stay open in `maps` for the whole load, so the numbers written above stay valid.
        return ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = spec.Type,
            Instructions = instructions,
            License = spec.License.Length > 0 ? spec.License : collection.License,
            Name = spec.KernelName,
            ExpectedAttachType = spec.ExpectedAttachType,
            // fentry/fexit/fmod_ret/tp_btf/lsm/iter sections name a kernel type the verifier needs (attach_btf_id).
            AttachTo = spec.Type is ProgramType.Tracing or ProgramType.Lsm ? spec.AttachTo : null,
            Flags = (ProgramLoadFlags)spec.Flags,
            KernelVersion = spec.KernelVersion != 0 ? spec.KernelVersion : collection.KernelVersion,
            Btf = withBtf ? btf : null,
            FuncInfo = withBtf ? FuncInfoRecords(spec) : default,
            LineInfo = withBtf ? LineInfoRecords(spec) : default,
            LogLevel = options.LogLevel,
        });
    }

    // Like libbpf, every program holds the object's .rodata, referenced or not, so tools (bpftool prog show, skeleton
    // readers) find its constants; a kernel without BPF_PROG_BIND_MAP (before 5.8) or a refusal is not an error.
    private static void BindRodata(KernelProgram program, KernelMap rodata)
    {
        if (!Features.KernelFeatures.ProgBindMap.IsSupported) return;
        try { program.BindMap(rodata); }
        catch (BpfException) { }
    }

    private static void FillSlots(CollectionSpec spec, Dictionary<string, KernelMap> maps, Dictionary<string, KernelProgram> programs)
    {
        Span<byte> key = stackalloc byte[4], value = stackalloc byte[4];
        foreach (MapSpec map in spec.Maps)
        {
            foreach (MapSlot slot in map.InitialSlots)
            {
                SafeBpfHandle target = map.Type == MapType.ProgArray
                    ? (programs.TryGetValue(slot.Target, out KernelProgram? p) ? p.Handle
                        : throw new InvalidOperationException($"map '{map.Name}' slot {slot.Index} names program '{slot.Target}', which was not loaded"))
                    : (maps.TryGetValue(slot.Target, out KernelMap? m) ? m.Handle
                        : throw new InvalidOperationException($"map '{map.Name}' slot {slot.Index} names map '{slot.Target}', which the object does not define"));
                BinaryPrimitives.WriteUInt32LittleEndian(key, slot.Index);
                BinaryPrimitives.WriteInt32LittleEndian(value, target.DangerousGetHandle().ToInt32());
                maps[map.Name].Update(key, value);
            }
        }
    }

    private static byte[] FuncInfoRecords(ProgramSpec spec)
    {
        var bytes = new byte[spec.FuncInfo.Length * 8];
        for (int i = 0; i < spec.FuncInfo.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8), (uint)spec.FuncInfo[i].Instruction);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8 + 4), spec.FuncInfo[i].TypeId);
        }
        return bytes;
    }

    private static byte[] LineInfoRecords(ProgramSpec spec)
    {
        var bytes = new byte[spec.LineInfo.Length * 16];
        for (int i = 0; i < spec.LineInfo.Length; i++)
        {
            ProgramLineInfo line = spec.LineInfo[i];
            Span<byte> r = bytes.AsSpan(i * 16);
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)line.Instruction);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], line.FileNameOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], line.LineOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], (line.LineNumber << 10) | (line.Column & 0x3ff));
        }
        return bytes;
    }
}
