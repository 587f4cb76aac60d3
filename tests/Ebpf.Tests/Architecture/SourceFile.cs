namespace Ebpf.Tests.Architecture;

/// <summary>A name a file uses that may be a type, where it appears.</summary>
internal readonly record struct NameUse(string Name, int Line);

/// <summary>
/// One C# file as the architecture checks see it: the types it declares, the names it uses that may be types,
/// and its string literals.
/// </summary>
internal sealed class SourceFile
{
    private static readonly HashSet<string> TypeKeywords = ["class", "struct", "interface", "enum", "record"];

    private static readonly HashSet<string> Modifiers =
        ["public", "internal", "private", "protected", "file", "static", "sealed", "abstract", "partial", "readonly", "ref", "unsafe", "new", "record"];

    // Words after the keyword that are no type name (record struct X; where T : struct, new()).
    private static readonly HashSet<string> NotTypeNames = ["where", "new", "class", "struct"];

    private SourceFile(string path, string folder, List<CSharpToken> tokens)
    {
        Path = path;
        Folder = folder;
        int depth = 0, enumBody = -1; // brace depth; the depth inside the enum body being read, if any
        bool enumPending = false;
        foreach (var (token, i) in tokens.Select((t, i) => (t, i)))
        {
            if (token.Kind == TokenKind.String) { Strings.Add(token); continue; }
            if (token.Text == "{")
            {
                depth++;
                if (enumPending) (enumBody, enumPending) = (depth, false);
            }
            else if (token.Text == "}")
            {
                if (depth == enumBody) enumBody = -1;
                depth--;
            }
            if (token.Kind != TokenKind.Identifier) continue;
            if (token.Text == "namespace") NamespaceSegments.UnionWith(QualifiedName(tokens, i + 1));
            else if (TypeKeywords.Contains(token.Text) && DeclaredName(tokens, i) is { } name)
            {
                DeclaredTypes.Add(name);
                enumPending = token.Text == "enum";
            }
            else if (token.Text == "delegate" && DelegateName(tokens, i) is { } d) DeclaredTypes.Add(d);
            // Enum members (Kind.KernelConfig) are values, not the types they may share a name with.
            if (depth == enumBody || IsMemberName(tokens, i)) continue;
            if (!IsMemberAccess(tokens, i)) Uses.Add(new NameUse(token.Text, token.Line));
            else if (i >= 2 && tokens[i - 2].Kind == TokenKind.Identifier) QualifiedUses.Add((tokens[i - 2].Text, new NameUse(token.Text, token.Line)));
        }
    }

    /// <summary>Path relative to the tree's root, with '/' separators (src/Ebpf.Vm/Runtime/Faults.cs).</summary>
    public string Path { get; }

    /// <summary>The file's folder relative to its project ("" for the project root, "Engines/Interpreter").</summary>
    public string Folder { get; }

    /// <summary>Simple names of the types (nested ones too) the file declares.</summary>
    public HashSet<string> DeclaredTypes { get; } = [];

    /// <summary>The segments of the namespaces the file declares (Ebpf, Vm, Runtime).</summary>
    public HashSet<string> NamespaceSegments { get; } = [];

    /// <summary>Names used other than after a '.': each may be a type.</summary>
    public List<NameUse> Uses { get; } = [];

    /// <summary>Names used after <c>Qualifier.</c>: a type only when the qualifier is a namespace (Ebpf.Vm.VmProgram).</summary>
    public List<(string Qualifier, NameUse Use)> QualifiedUses { get; } = [];

    /// <summary>String literals (without the code of interpolation holes).</summary>
    public List<CSharpToken> Strings { get; } = [];

    /// <summary>Reads <paramref name="fullPath"/>, a file of the project at <paramref name="projectDirectory"/>.</summary>
    public static SourceFile Read(string treeRoot, string projectDirectory, string fullPath) =>
        Parse(Relative(treeRoot, fullPath), Relative(projectDirectory, System.IO.Path.GetDirectoryName(fullPath)!), File.ReadAllText(fullPath));

    /// <summary>Analyses <paramref name="source"/> as the file <paramref name="path"/> in <paramref name="folder"/>.</summary>
    public static SourceFile Parse(string path, string folder, string source) =>
        new(path, folder == "." ? "" : folder, CSharpLexer.Tokenize(source));

    private static string Relative(string root, string path) => System.IO.Path.GetRelativePath(root, path).Replace('\\', '/');

    private static string? Prev(List<CSharpToken> tokens, int i) => i > 0 ? tokens[i - 1].Text : null;

    private static bool IsMemberAccess(List<CSharpToken> tokens, int i) => Prev(tokens, i) is "." || (Prev(tokens, i) is ">" && i >= 2 && tokens[i - 2].Text == "-");

    // The name of what is being declared or assigned, not a type: "Text = text", "string Text {", "Kind Kind(",
    // "int x;", "(Foo x, Bar y)". A type is preceded by a keyword or punctuation there, a declared name by its type.
    private static bool IsMemberName(List<CSharpToken> tokens, int i)
    {
        string next = i + 1 < tokens.Count ? tokens[i + 1].Text : "";
        string afterNext = i + 2 < tokens.Count ? tokens[i + 2].Text : "";
        if (next == "=" && afterNext is not ("=" or ">")) return true;
        if (next is not ("{" or "(" or ";" or "," or ")" or "=")) return false;
        CSharpToken? prev = i > 0 ? tokens[i - 1] : null;
        return prev is { Kind: TokenKind.Identifier } p ? !KeywordsBeforeTypes.Contains(p.Text) : prev?.Text is ">" or "]" or "?" or "*";
    }

    private static readonly HashSet<string> KeywordsBeforeTypes =
        ["return", "new", "is", "as", "case", "await", "throw", "in", "else", "and", "or", "not", "when", "out", "ref",
         "yield", "using", "where", "with", "operator", "typeof", "sizeof", "nameof", "default", "params", "stackalloc"];

    private static IEnumerable<string> QualifiedName(List<CSharpToken> tokens, int i)
    {
        for (; i < tokens.Count && tokens[i].Kind == TokenKind.Identifier; i += 2)
        {
            yield return tokens[i].Text;
            if (i + 1 >= tokens.Count || tokens[i + 1].Text != ".") yield break;
        }
    }

    // class Foo, record struct Foo, readonly ref struct Foo, enum Foo : byte: the keyword follows a modifier, an
    // attribute or the previous member. Not "where T : class", nor "record struct" (the struct names it), nor a
    // variable called record.
    private static string? DeclaredName(List<CSharpToken> tokens, int i)
    {
        string? prev = Prev(tokens, i);
        if (prev is not (null or "]" or ";" or "{" or "}") && !Modifiers.Contains(prev)) return null;
        if (tokens[i].Text == "record" && i + 1 < tokens.Count && tokens[i + 1].Text is "class" or "struct") return null;
        return i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Identifier && !NotTypeNames.Contains(tokens[i + 1].Text)
            ? tokens[i + 1].Text
            : null;
    }

    // delegate ulong HelperFunction(...), delegate T Make<T>(...): the last name before the parameter list.
    // An anonymous method (delegate { }, delegate (int x) { }) and a function pointer (delegate* ...) declare nothing.
    private static string? DelegateName(List<CSharpToken> tokens, int i)
    {
        string? name = null;
        int angle = 0;
        for (int j = i + 1; j < tokens.Count; j++)
        {
            string t = tokens[j].Text;
            if (t == "<") angle++;
            else if (t == ">") angle--;
            else if (angle == 0 && t == "(") return name;
            else if (angle == 0 && t is "{" or ";" or "*") return null;
            else if (angle == 0 && tokens[j].Kind == TokenKind.Identifier) name = t;
        }
        return null;
    }
}
