using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// Opens the kernel programs and maps a bpftool reference names: by id, pinned path, name (every match) or tag
/// (every match). The caller disposes the handles.
/// </summary>
internal static class KernelLookup
{
    /// <summary>Every program <paramref name="reference"/> names, with its info.</summary>
    public static List<(SafeBpfHandle Handle, ProgramInfo Info)> Programs(ObjectReference reference)
    {
        var found = new List<(SafeBpfHandle, ProgramInfo)>();
        switch (reference.Kind)
        {
            case ObjectReferenceKind.Id:
                SafeBpfHandle byId = Open(() => KernelObjects.OpenProgramById(reference.Id), "program", reference);
                found.Add((byId, ProgramInfo.Get(byId)));
                break;
            case ObjectReferenceKind.Pinned:
                SafeBpfHandle pinned = Open(() => BpfFs.Open(reference.Value), "program", reference);
                found.Add((pinned, Expect(pinned, reference, "program", ProgramInfo.Get)));
                break;
            default:
                ulong tag = reference.Kind == ObjectReferenceKind.Tag ? Convert.ToUInt64(reference.Value, 16) : 0;
                foreach (uint id in KernelObjects.ProgramIds())
                {
                    SafeBpfHandle? h = TryOpen(() => KernelObjects.OpenProgramById(id));
                    if (h is null) continue;
                    ProgramInfo info = ProgramInfo.Get(h);
                    bool match = reference.Kind == ObjectReferenceKind.Tag ? info.Tag == tag : info.Name == reference.Value || info.FullName == reference.Value;
                    if (match) found.Add((h, info));
                    else h.Dispose();
                }
                break;
        }
        if (found.Count == 0) throw new CliError($"no program matches '{reference}' (see 'ebpf prog show')");
        return found;
    }

    /// <summary>Every map <paramref name="reference"/> names, with its info.</summary>
    public static List<(SafeBpfHandle Handle, MapInfo Info)> Maps(ObjectReference reference)
    {
        var found = new List<(SafeBpfHandle, MapInfo)>();
        switch (reference.Kind)
        {
            case ObjectReferenceKind.Id:
                SafeBpfHandle byId = Open(() => KernelObjects.OpenMapById(reference.Id), "map", reference);
                found.Add((byId, MapInfo.Get(byId)));
                break;
            case ObjectReferenceKind.Pinned:
                SafeBpfHandle pinned = Open(() => BpfFs.Open(reference.Value), "map", reference);
                found.Add((pinned, Expect(pinned, reference, "map", MapInfo.Get)));
                break;
            default:
                foreach (uint id in KernelObjects.MapIds())
                {
                    SafeBpfHandle? h = TryOpen(() => KernelObjects.OpenMapById(id));
                    if (h is null) continue;
                    MapInfo info = MapInfo.Get(h);
                    if (info.Name == reference.Value) found.Add((h, info));
                    else h.Dispose();
                }
                break;
        }
        if (found.Count == 0) throw new CliError($"no map matches '{reference}' (see 'ebpf map show')");
        return found;
    }

    /// <summary>The one program <paramref name="reference"/> names; several matches are an error.</summary>
    public static (SafeBpfHandle Handle, ProgramInfo Info) Program(ObjectReference reference) => Single(Programs(reference), reference, "program");

    /// <summary>The one map <paramref name="reference"/> names; several matches are an error.</summary>
    public static (SafeBpfHandle Handle, MapInfo Info) Map(ObjectReference reference) => Single(Maps(reference), reference, "map");

    private static (SafeBpfHandle, T) Single<T>(List<(SafeBpfHandle Handle, T Info)> all, ObjectReference reference, string what)
    {
        if (all.Count == 1) return all[0];
        foreach (var (h, _) in all) h.Dispose();
        throw new CliError($"'{reference}' matches {all.Count} {what}s; name one by id");
    }

    private static T Expect<T>(SafeBpfHandle handle, ObjectReference reference, string what, Func<SafeBpfHandle, T> info)
    {
        try
        {
            return info(handle);
        }
        catch (BpfException)
        {
            handle.Dispose();
            throw new CliError($"'{reference.Value}' is pinned but is not a {what}");
        }
    }

    private static SafeBpfHandle Open(Func<SafeBpfHandle> open, string what, ObjectReference reference)
    {
        try
        {
            return open();
        }
        catch (FileNotFoundException)
        {
            throw new CliError($"can't open {what} '{reference}': nothing is pinned there");
        }
        catch (BpfException e) when (e.Errno == Errno.ENOENT)
        {
            throw new CliError($"can't open {what} '{reference}': no such {what} (see 'ebpf {(what == "program" ? "prog" : what)} show')");
        }
    }

    // An object listed a moment ago may be gone by now.
    private static SafeBpfHandle? TryOpen(Func<SafeBpfHandle> open)
    {
        try { return open(); }
        catch (BpfException e) when (e.Errno == Errno.ENOENT) { return null; }
    }
}
