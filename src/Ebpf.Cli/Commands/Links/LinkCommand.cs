using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Links;

/// <summary><c>ebpf link show|list|pin|detach</c>, as bpftool spells them (LINK := id ID | pinned FILE).</summary>
internal static class LinkCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create() => new("link", "Inspect and manage BPF links (bpftool link).")
    {
        LinkShowCommand.Create("show"), LinkShowCommand.Create("list"), LinkPinCommand.Create(), LinkDetachCommand.Create(),
    };

    /// <summary>Parses LINK at <paramref name="index"/> and opens it.</summary>
    internal static Linux.Links.Link Open(IReadOnlyList<string> args, ref int index)
    {
        ObjectReference reference = ObjectReference.Parse(args, ref index, "LINK", ObjectReferenceKind.Id, ObjectReferenceKind.Pinned);
        try
        {
            return reference.Kind == ObjectReferenceKind.Id ? Linux.Links.Link.OpenById(reference.Id) : Linux.Links.Link.OpenPinned(reference.Value);
        }
        catch (BpfException e) when (e.Errno == Errno.ENOENT)
        {
            throw new CliError($"get link by {reference}: no such link (see 'ebpf link show')");
        }
        catch (FileNotFoundException)
        {
            throw new CliError($"open pinned link {reference.Value}: nothing is pinned there");
        }
    }

    /// <summary>Fails on words left after a command's arguments.</summary>
    internal static void ExpectEnd(IReadOnlyList<string> args, int index)
    {
        if (index < args.Count) throw new CliError($"too many arguments: unexpected '{args[index]}'");
    }
}
