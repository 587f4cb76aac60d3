namespace Ebpf.Asm;

/// <summary>
/// The mnemonic vocabulary of the assembler syntax (bpf_conformance / uBPF style), shared by the assembler and
/// the assembler-syntax formatter so that both spell every instruction the same way.
/// </summary>
internal static class AsmMnemonics
{
    /// <summary>ALU operations by mnemonic stem (the 32-bit form adds "32").</summary>
    public static readonly IReadOnlyDictionary<string, AluOperation> Alu = new Dictionary<string, AluOperation>(StringComparer.Ordinal)
    {
        ["add"] = AluOperation.Add, ["sub"] = AluOperation.Sub, ["mul"] = AluOperation.Mul, ["div"] = AluOperation.Div,
        ["or"] = AluOperation.Or, ["and"] = AluOperation.And, ["lsh"] = AluOperation.Lsh, ["rsh"] = AluOperation.Rsh,
        ["mod"] = AluOperation.Mod, ["xor"] = AluOperation.Xor, ["mov"] = AluOperation.Mov, ["arsh"] = AluOperation.Arsh,
    };

    /// <summary>Conditional jumps by mnemonic stem (the 32-bit form adds "32").</summary>
    public static readonly IReadOnlyDictionary<string, JumpOperation> Jumps = new Dictionary<string, JumpOperation>(StringComparer.Ordinal)
    {
        ["jeq"] = JumpOperation.Jeq, ["jgt"] = JumpOperation.Jgt, ["jge"] = JumpOperation.Jge, ["jset"] = JumpOperation.Jset,
        ["jne"] = JumpOperation.Jne, ["jsgt"] = JumpOperation.Jsgt, ["jsge"] = JumpOperation.Jsge, ["jlt"] = JumpOperation.Jlt,
        ["jle"] = JumpOperation.Jle, ["jslt"] = JumpOperation.Jslt, ["jsle"] = JumpOperation.Jsle,
    };

    /// <summary>Atomic operations by their name after <c>lock</c> (and <c>lock fetch</c> for the fetching forms).</summary>
    public static readonly IReadOnlyDictionary<string, AtomicOperation> Atomics = new Dictionary<string, AtomicOperation>(StringComparer.Ordinal)
    {
        ["add"] = AtomicOperation.Add, ["or"] = AtomicOperation.Or, ["and"] = AtomicOperation.And, ["xor"] = AtomicOperation.Xor,
        ["xchg"] = AtomicOperation.Exchange, ["cmpxchg"] = AtomicOperation.CompareExchange,
    };

    /// <summary>Size suffix letter(s) of loads and stores.</summary>
    public static readonly IReadOnlyDictionary<string, MemorySize> Sizes = new Dictionary<string, MemorySize>(StringComparer.Ordinal)
    {
        ["b"] = MemorySize.Byte, ["h"] = MemorySize.Half, ["w"] = MemorySize.Word, ["dw"] = MemorySize.DoubleWord,
    };

    /// <summary>The pseudo-source keywords of <c>lddw</c> (the plain 64-bit constant has none).</summary>
    public static readonly IReadOnlyDictionary<string, LoadImmediateSource> LoadSources = new Dictionary<string, LoadImmediateSource>(StringComparer.Ordinal)
    {
        ["map_fd"] = LoadImmediateSource.MapFd, ["map_value"] = LoadImmediateSource.MapValue, ["btf_id"] = LoadImmediateSource.BtfId,
        ["func"] = LoadImmediateSource.Func, ["map_idx"] = LoadImmediateSource.MapIndex, ["map_idx_value"] = LoadImmediateSource.MapIndexValue,
    };

    /// <summary>The mnemonic stem of an ALU operation.</summary>
    public static string Name(AluOperation op) => op switch
    {
        AluOperation.Add => "add", AluOperation.Sub => "sub", AluOperation.Mul => "mul", AluOperation.Div => "div",
        AluOperation.Or => "or", AluOperation.And => "and", AluOperation.Lsh => "lsh", AluOperation.Rsh => "rsh",
        AluOperation.Neg => "neg", AluOperation.Mod => "mod", AluOperation.Xor => "xor", AluOperation.Mov => "mov",
        AluOperation.Arsh => "arsh", _ => "end",
    };

    /// <summary>The mnemonic stem of a jump operation.</summary>
    public static string Name(JumpOperation op) => op switch
    {
        JumpOperation.Ja => "ja", JumpOperation.Jeq => "jeq", JumpOperation.Jgt => "jgt", JumpOperation.Jge => "jge",
        JumpOperation.Jset => "jset", JumpOperation.Jne => "jne", JumpOperation.Jsgt => "jsgt", JumpOperation.Jsge => "jsge",
        JumpOperation.Jlt => "jlt", JumpOperation.Jle => "jle", JumpOperation.Jslt => "jslt", JumpOperation.Jsle => "jsle",
        JumpOperation.Call => "call", _ => "exit",
    };

    /// <summary>The size suffix of a load or store.</summary>
    public static string Name(MemorySize size) => size switch
    {
        MemorySize.Byte => "b", MemorySize.Half => "h", MemorySize.Word => "w", _ => "dw",
    };

    /// <summary>The keyword of an atomic operation (without <c>fetch</c>).</summary>
    public static string Name(AtomicOperation op) => op switch
    {
        AtomicOperation.Add or AtomicOperation.FetchAdd => "add",
        AtomicOperation.Or or AtomicOperation.FetchOr => "or",
        AtomicOperation.And or AtomicOperation.FetchAnd => "and",
        AtomicOperation.Xor or AtomicOperation.FetchXor => "xor",
        AtomicOperation.Exchange => "xchg",
        _ => "cmpxchg",
    };

    /// <summary>The keyword of a <c>lddw</c> pseudo-source.</summary>
    public static string Name(LoadImmediateSource source) => source switch
    {
        LoadImmediateSource.MapFd => "map_fd", LoadImmediateSource.MapValue => "map_value", LoadImmediateSource.BtfId => "btf_id",
        LoadImmediateSource.Func => "func", LoadImmediateSource.MapIndex => "map_idx", LoadImmediateSource.MapIndexValue => "map_idx_value",
        _ => "",
    };
}
