using Ebpf.Cli.Output;

namespace Ebpf.Cli.Arguments;

/// <summary>A cursor over bpftool-style keyword arguments.</summary>
internal sealed class Words(string[] words, string command)
{
    private int _index;

    /// <summary>The words, for parsers that take a ref index.</summary>
    public string[] All => words;

    /// <summary>The position of the next word.</summary>
    public ref int Index => ref _index;

    /// <summary>Whether every word was consumed.</summary>
    public bool AtEnd => _index >= words.Length;

    /// <summary>The next word without consuming it, or null.</summary>
    public string? Peek => AtEnd ? null : words[_index];

    /// <summary>Consumes <paramref name="keyword"/> when it is next.</summary>
    public bool Accept(string keyword)
    {
        if (Peek != keyword) return false;
        _index++;
        return true;
    }

    /// <summary>The next word, or an error naming what was expected.</summary>
    public string Next(string what) => AtEnd ? throw new CliError($"{command}: expected {what}") : words[_index++];

    /// <summary>The next word as a non-negative integer.</summary>
    public int NextInt(string what)
    {
        string word = Next(what);
        return int.TryParse(word, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v)
            ? v : throw new CliError($"{command}: {what} '{word}' is not a non-negative number");
    }

    /// <summary>A program or map reference (<c>id N</c>, <c>pinned PATH</c>, ...).</summary>
    public ObjectReference Reference(string what, params ObjectReferenceKind[] allowed)
    {
        try { return ObjectReference.Parse(words, ref _index, what, allowed); }
        catch (FormatException e) { throw new CliError($"{command}: {e.Message}"); }
    }

    /// <summary>Fails on words left over.</summary>
    public void End()
    {
        if (!AtEnd) throw new CliError($"{command}: unexpected '{string.Join(' ', words[_index..])}'; see '{command} --help'");
    }
}
