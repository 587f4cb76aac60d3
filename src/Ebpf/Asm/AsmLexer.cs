namespace Ebpf.Asm;

/// <summary>One token of an assembler line: its text and 1-based column.</summary>
internal readonly record struct AsmToken(string Text, int Column)
{
    public bool Is(string text) => Text == text;
}

/// <summary>
/// Splits an assembler line into tokens: words (mnemonics, registers, numbers, labels, offsets like <c>+2</c>) and
/// the punctuation <c>, [ ] + - :</c> where it separates; <c>#</c>, <c>;</c> and <c>//</c> start a comment.
/// </summary>
internal static class AsmLexer
{
    public static List<AsmToken> Tokenize(string line)
    {
        var tokens = new List<AsmToken>();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (c is ' ' or '\t' or '\r') { i++; continue; }
            if (c is '#' or ';' || (c == '/' && i + 1 < line.Length && line[i + 1] == '/')) break;
            if (c is ',' or '[' or ']' or ':')
            {
                tokens.Add(new AsmToken(c.ToString(), i + 1));
                i++;
                continue;
            }
            if (c is '+' or '-')
            {
                // A sign glued to a number or word is part of it (+2, -8, -0x10); inside [..] it may stand alone.
                int start = i++;
                if (i < line.Length && IsWordChar(line[i]))
                {
                    while (i < line.Length && IsWordChar(line[i])) i++;
                }
                tokens.Add(new AsmToken(line[start..i], start + 1));
                continue;
            }
            int begin = i;
            while (i < line.Length && !(line[i] is ' ' or '\t' or '\r' or ',' or '[' or ']' or ':' or '#' or ';' or '+' or '-')
                   && !(line[i] == '/' && i + 1 < line.Length && line[i + 1] == '/'))
                i++;
            tokens.Add(new AsmToken(line[begin..i], begin + 1));
        }
        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '%';
}
