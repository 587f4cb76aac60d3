using System.Diagnostics.CodeAnalysis;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Arguments;

/// <summary>
/// Opens the kernel programs and maps a bpftool reference names: by id, pinned path, name (every match) or tag
/// (every match), or all of them. The caller disposes the handles.
/// </summary>
internal static class KernelLookup
{
    private delegate bool TryOpenById(uint id, [NotNullWhen(true)] out SafeBpfHandle? handle);

    /// <summary>What differs between looking up programs and maps.</summary>
    private sealed record ObjectKind<TInfo>(string Name, string Command, Func<IEnumerable<uint>> Ids, TryOpenById TryOpen,
        Func<SafeBpfHandle, TInfo> Info, Func<TInfo, ObjectReference, bool> Matches);

    private static readonly ObjectKind<ProgramInfo> s_programs = new("program", "prog", KernelObjects.ProgramIds, KernelObjects.TryOpenProgramById,
        ProgramInfo.Get, (info, r) => r.Kind == ObjectReferenceKind.Tag ? info.Tag == Convert.ToUInt64(r.Value, 16) : info.Name == r.Value || info.FullName == r.Value);

    private static readonly ObjectKind<MapInfo> s_maps = new("map", "map", KernelObjects.MapIds, KernelObjects.TryOpenMapById,
        MapInfo.Get, (info, r) => info.Name == r.Value);

    /// <summary>Every loaded program with its info (programs unloaded meanwhile are skipped).</summary>
    public static List<(SafeBpfHandle Handle, ProgramInfo Info)> AllPrograms() => All(s_programs, null);

    /// <summary>Every map with its info (maps freed meanwhile are skipped).</summary>
    public static List<(SafeBpfHandle Handle, MapInfo Info)> AllMaps() => All(s_maps, null);

    /// <summary>Every program <paramref name="reference"/> names, with its info.</summary>
    public static List<(SafeBpfHandle Handle, ProgramInfo Info)> Programs(ObjectReference reference) => Find(s_programs, reference);

    /// <summary>Every map <paramref name="reference"/> names, with its info.</summary>
    public static List<(SafeBpfHandle Handle, MapInfo Info)> Maps(ObjectReference reference) => Find(s_maps, reference);

    /// <summary>The one program <paramref name="reference"/> names; several matches are an error.</summary>
    public static (SafeBpfHandle Handle, ProgramInfo Info) Program(ObjectReference reference) => Single(Programs(reference), reference, s_programs.Name);

    /// <summary>The one map <paramref name="reference"/> names; several matches are an error.</summary>
    public static (SafeBpfHandle Handle, MapInfo Info) Map(ObjectReference reference) => Single(Maps(reference), reference, s_maps.Name);

    private static List<(SafeBpfHandle Handle, T Info)> Find<T>(ObjectKind<T> kind, ObjectReference reference)
    {
        var found = reference.Kind switch
        {
            ObjectReferenceKind.Id => [ById(kind, reference)],
            ObjectReferenceKind.Pinned => [Pinned(kind, reference)],
            _ => All(kind, reference),
        };
        if (found.Count == 0)
        {
            string what = reference.Kind == ObjectReferenceKind.Tag ? $"with tag {reference.Value}" : $"named '{reference.Value}'";
            throw new CliError($"no {kind.Name} {what} (see 'ebpf {kind.Command} show')");
        }
        return found;
    }

    private static List<(SafeBpfHandle, T)> All<T>(ObjectKind<T> kind, ObjectReference? reference)
    {
        var found = new List<(SafeBpfHandle, T)>();
        foreach (uint id in kind.Ids())
        {
            if (!kind.TryOpen(id, out SafeBpfHandle? handle)) continue;   // listed a moment ago, gone by now
            T info = kind.Info(handle);
            if (reference is null || kind.Matches(info, reference)) found.Add((handle, info));
            else handle.Dispose();
        }
        return found;
    }

    private static (SafeBpfHandle, T) ById<T>(ObjectKind<T> kind, ObjectReference reference)
    {
        if (!kind.TryOpen(reference.Id, out SafeBpfHandle? handle))
            throw new CliError($"can't open {kind.Name} '{reference}': no such {kind.Name} (see 'ebpf {kind.Command} show')");
        return (handle, kind.Info(handle));
    }

    private static (SafeBpfHandle, T) Pinned<T>(ObjectKind<T> kind, ObjectReference reference)
    {
        SafeBpfHandle handle;
        try
        {
            handle = BpfFs.Open(reference.Value);
        }
        catch (FileNotFoundException)
        {
            throw new CliError($"can't open {kind.Name} '{reference}': nothing is pinned there");
        }
        try
        {
            return (handle, kind.Info(handle));
        }
        catch (BpfException)
        {
            handle.Dispose();
            throw new CliError($"'{reference.Value}' is pinned but is not a {kind.Name}");
        }
    }

    private static (SafeBpfHandle, T) Single<T>(List<(SafeBpfHandle Handle, T Info)> all, ObjectReference reference, string what)
    {
        if (all.Count == 1) return all[0];
        foreach (var (h, _) in all) h.Dispose();
        throw new CliError($"'{reference}' matches {all.Count} {what}s; name one by id");
    }
}
