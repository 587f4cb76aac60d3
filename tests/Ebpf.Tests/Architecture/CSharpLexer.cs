using System.Text;

namespace Ebpf.Tests.Architecture;

/// <summary>What a <see cref="CSharpToken"/> is.</summary>
internal enum TokenKind
{
    /// <summary>A name or keyword (a leading <c>@</c> is dropped).</summary>
    Identifier,
    /// <summary>One punctuation character, or <c>::</c>.</summary>
    Punctuation,
    /// <summary>The text of a string literal without its interpolation holes (their code is lexed as tokens).</summary>
    String,
}

/// <summary>One token of C# source, with its 1-based line.</summary>
internal readonly record struct CSharpToken(TokenKind Kind, string Text, int Line);

/// <summary>
/// Just enough of a C# lexer for the architecture checks: comments, preprocessor lines, numbers and character
/// literals disappear, so a type named in a comment or a doc <c>cref</c> is no dependency; string literals
/// (regular, verbatim, raw, interpolated) become one token each, while the code inside interpolation holes
/// (<c>$"{VmAddressSpace.StackSize}"</c>) is lexed like any other code, because it does reference types.
/// </summary>
internal sealed class CSharpLexer
{
    private readonly string _s;
    private readonly List<CSharpToken> _tokens = [];
    private int _i;
    private int _line = 1;

    private CSharpLexer(string source) => _s = source;

    /// <summary>The tokens of <paramref name="source"/>.</summary>
    public static List<CSharpToken> Tokenize(string source)
    {
        var lexer = new CSharpLexer(source);
        lexer.Code(stopAtBrace: false);
        return lexer._tokens;
    }

    // Lexes code until the end, or until the '}' that closes an interpolation hole (brace depth 0).
    private void Code(bool stopAtBrace)
    {
        int depth = 0;
        bool lineStart = true;
        while (_i < _s.Length)
        {
            char c = _s[_i];
            if (c == '\n') { _line++; _i++; lineStart = true; continue; }
            if (char.IsWhiteSpace(c)) { _i++; continue; }
            if (c == '#' && lineStart) { SkipToLineEnd(); continue; }
            lineStart = false;
            if (c == '/' && Peek(1) == '/') { SkipToLineEnd(); continue; }
            if (c == '/' && Peek(1) == '*') { SkipBlockComment(); continue; }
            if (c == '\'') { SkipCharLiteral(); continue; }
            if (TryString()) continue;
            if (char.IsAsciiDigit(c)) { SkipNumber(); continue; }
            if (c == '@' || c == '_' || char.IsLetter(c))
            {
                int start = c == '@' ? ++_i : _i;
                while (_i < _s.Length && (char.IsLetterOrDigit(_s[_i]) || _s[_i] == '_')) _i++;
                _tokens.Add(new CSharpToken(TokenKind.Identifier, _s[start.._i], _line));
                continue;
            }
            if (c == ':' && Peek(1) == ':') { _tokens.Add(new CSharpToken(TokenKind.Punctuation, "::", _line)); _i += 2; continue; }
            if (c == '{') depth++;
            if (c == '}' && stopAtBrace && depth-- == 0) return; // the caller consumes the closing brace
            _tokens.Add(new CSharpToken(TokenKind.Punctuation, c.ToString(), _line));
            _i++;
        }
    }

    // A string literal of any form starting at _i: its prefix ($, @, $@, @$, $$...), then quotes.
    private bool TryString()
    {
        int j = _i, dollars = 0;
        bool verbatim = false;
        while (j < _s.Length && (_s[j] == '$' || _s[j] == '@'))
        {
            if (_s[j] == '$') dollars++; else verbatim = true;
            j++;
        }
        if (j >= _s.Length || _s[j] != '"' || (verbatim && j - _i > 2)) return false;
        int quotes = 0;
        while (j + quotes < _s.Length && _s[j + quotes] == '"') quotes++;
        _i = j;
        var text = new StringBuilder();
        int line = _line;
        if (quotes >= 3) RawString(quotes, dollars, text);
        else QuotedString(verbatim, dollars > 0, text);
        _tokens.Add(new CSharpToken(TokenKind.String, text.ToString(), line));
        return true;
    }

    private void QuotedString(bool verbatim, bool interpolated, StringBuilder text)
    {
        _i++; // opening quote
        while (_i < _s.Length)
        {
            char c = _s[_i];
            if (c == '\n') _line++;
            if (c == '"')
            {
                if (verbatim && Peek(1) == '"') { text.Append('"'); _i += 2; continue; }
                _i++;
                return;
            }
            if (c == '\\' && !verbatim) { text.Append(c).Append(Peek(1)); _i += 2; continue; }
            if (interpolated && c == '{')
            {
                if (Peek(1) == '{') { text.Append('{'); _i += 2; continue; }
                Hole();
                continue;
            }
            if (interpolated && c == '}' && Peek(1) == '}') { text.Append('}'); _i += 2; continue; }
            text.Append(c);
            _i++;
        }
    }

    private void RawString(int quotes, int dollars, StringBuilder text)
    {
        _i += quotes;
        while (_i < _s.Length)
        {
            if (_s[_i] == '"' && Run('"') >= quotes) { _i += quotes; return; }
            if (dollars > 0 && _s[_i] == '{' && Run('{') >= dollars)
            {
                int run = Run('{');
                text.Append('{', run - dollars); // braces beyond the hole's own are content
                _i += run;
                Code(stopAtBrace: true);
                _i += dollars; // the hole closes with as many braces as the string has dollars
                continue;
            }
            if (_s[_i] == '\n') _line++;
            text.Append(_s[_i]);
            _i++;
        }
    }

    // _i is at the '{' that opens an interpolation hole: lex its code, then step over the closing '}'.
    // A format specifier after ':' ({x:x2}) lexes as a harmless identifier.
    private void Hole()
    {
        _i++;
        Code(stopAtBrace: true);
        _i++;
    }

    private int Run(char c)
    {
        int n = 0;
        while (_i + n < _s.Length && _s[_i + n] == c) n++;
        return n;
    }

    // 0x1f, 1_000ul, 2.5e3: letters, digits, '_' and a '.' followed by a digit.
    private void SkipNumber()
    {
        while (_i < _s.Length && (char.IsAsciiLetterOrDigit(_s[_i]) || _s[_i] == '_' || (_s[_i] == '.' && char.IsAsciiDigit(Peek(1))))) _i++;
    }

    private void SkipCharLiteral()
    {
        _i++;
        while (_i < _s.Length && _s[_i] != '\'') _i += _s[_i] == '\\' ? 2 : 1;
        _i++;
    }

    private void SkipToLineEnd()
    {
        while (_i < _s.Length && _s[_i] != '\n') _i++;
    }

    private void SkipBlockComment()
    {
        int end = _s.IndexOf("*/", _i + 2, StringComparison.Ordinal);
        int stop = end < 0 ? _s.Length : end + 2;
        for (; _i < stop; _i++) if (_s[_i] == '\n') _line++;
    }

    private char Peek(int ahead) => _i + ahead < _s.Length ? _s[_i + ahead] : '\0';
}
