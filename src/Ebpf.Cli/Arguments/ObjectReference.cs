using System.Globalization;

namespace Ebpf.Cli.Arguments;

/// <summary>How a bpftool command names a kernel object.</summary>
internal enum ObjectReferenceKind
{
    /// <summary><c>id N</c>.</summary>
    Id,
    /// <summary><c>pinned PATH</c>.</summary>
    Pinned,
    /// <summary><c>name NAME</c> (programs and maps; may match several).</summary>
    Name,
    /// <summary><c>tag TAG</c> (programs; may match several).</summary>
    Tag,
}

/// <summary>
/// A program, map, link or BTF object named the way bpftool's commands name it: <c>id 12</c>,
/// <c>pinned /sys/fs/bpf/x</c>, <c>name my_prog</c>, <c>tag 0123456789abcdef</c>.
/// </summary>
/// <param name="Kind">How the object is named.</param>
/// <param name="Value">The id (decimal), path, name or 16-hex-digit tag.</param>
internal sealed record ObjectReference(ObjectReferenceKind Kind, string Value)
{
    /// <summary>The numeric id of an <see cref="ObjectReferenceKind.Id"/> reference.</summary>
    public uint Id => Kind == ObjectReferenceKind.Id ? uint.Parse(Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"{this} is not an id");

    /// <summary>
    /// Parses a reference from <paramref name="args"/> at <paramref name="index"/> and advances past it.
    /// <paramref name="allowed"/> lists the keywords the command accepts (bpftool: maps take id|pinned|name,
    /// programs also tag, links and BTF only id|pinned or id).
    /// </summary>
    /// <exception cref="FormatException">Missing or malformed reference, with bpftool's wording of what was expected.</exception>
    public static ObjectReference Parse(IReadOnlyList<string> args, ref int index, string what, params ObjectReferenceKind[] allowed)
    {
        string expected = string.Join(" | ", allowed.Select(k => k switch
        {
            ObjectReferenceKind.Id => "id ID",
            ObjectReferenceKind.Pinned => "pinned FILE",
            ObjectReferenceKind.Name => "name NAME",
            _ => "tag TAG",
        }));
        if (index >= args.Count) throw new FormatException($"expected {what} as {expected}");
        string keyword = args[index];
        ObjectReferenceKind? kind = keyword switch
        {
            "id" => ObjectReferenceKind.Id,
            "pinned" => ObjectReferenceKind.Pinned,
            "name" => ObjectReferenceKind.Name,
            "tag" => ObjectReferenceKind.Tag,
            _ => null,
        };
        if (kind is null || !allowed.Contains(kind.Value)) throw new FormatException($"expected {what} as {expected}, got '{keyword}'");
        if (index + 1 >= args.Count) throw new FormatException($"'{keyword}' needs a value ({expected})");
        string value = args[index + 1];
        switch (kind.Value)
        {
            case ObjectReferenceKind.Id when !uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _):
                throw new FormatException($"can't parse {what} id '{value}': expected a decimal number");
            case ObjectReferenceKind.Tag when value.Length != 16 || !value.All(char.IsAsciiHexDigit):
                throw new FormatException($"can't parse tag '{value}': expected 16 hex digits");
            // Programs (the kind that also takes a tag) keep their whole name in BTF, which bpftool matches too.
            case ObjectReferenceKind.Name when value.Length >= 16 && !allowed.Contains(ObjectReferenceKind.Tag):
                throw new FormatException($"name '{value}' is too long: kernel object names have at most 15 characters");
        }
        index += 2;
        return new ObjectReference(kind.Value, value);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Value}";
}
