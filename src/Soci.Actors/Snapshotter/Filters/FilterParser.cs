using System.Globalization;
using System.Text;

namespace Soci.Actors.Snapshotter.Filters;

/// <summary>
/// Parses one filter string with containerd's grammar (containerd filters package, 1.6):
/// <code>
/// selectors := selector ("," selector)*
/// selector  := fieldpath (operator value)?
/// fieldpath := field ("." field)*
/// field     := quoted | [A-Za-z0-9_]+
/// operator  := "==" | "!=" | "~="
/// value     := quoted | [^\s,]+
/// quoted    := Go string syntax between "…" (and, for ~= values, also /…/ or |…|)
/// </code>
/// The empty string matches everything.
/// </summary>
public sealed class FilterParser
{
    private readonly string _input;
    private int _position;
    private bool _expectValue;

    private FilterParser(string input) => _input = input;

    private enum Token { End, Quoted, Value, Field, Separator, Operator, Other }

    public static IReadOnlyList<FilterSelector> Parse(string filter) =>
        filter.Length == 0 ? [] : new FilterParser(filter).Selectors();

    private List<FilterSelector> Selectors()
    {
        var selectors = new List<FilterSelector> { Selector() };
        while (true)
        {
            switch (Peek())
            {
                case ',':
                    Scan();
                    selectors.Add(Selector());
                    break;
                case null:
                    return selectors;
                default:
                    throw Error(_position, $"unexpected input: {Peek()}");
            }
        }
    }

    private FilterSelector Selector()
    {
        var path = FieldPath();
        if (Peek() is ',' or null)
        {
            return new FilterSelector(path, FilterOperator.Present, "");
        }

        var op = Operator();
        return new FilterSelector(path, op, Value(allowAlternativeQuotes: op == FilterOperator.Matches));
    }

    private List<string> FieldPath()
    {
        var path = new List<string> { Field() };
        while (Peek() == '.')
        {
            Scan();
            path.Add(Field());
        }

        return path;
    }

    private string Field()
    {
        var (start, token, text) = Scan();
        return token switch
        {
            Token.Field => text,
            Token.Quoted => Unquote(start, text, allowAlternativeQuotes: false),
            _ => throw Error(start, "expected field or quoted"),
        };
    }

    private FilterOperator Operator()
    {
        var (start, token, text) = Scan();
        if (token != Token.Operator)
        {
            throw Error(start, "expected an operator (\"==\"|\"!=\"|\"~=\")");
        }

        return text switch
        {
            "==" => FilterOperator.Equal,
            "!=" => FilterOperator.NotEqual,
            "~=" => FilterOperator.Matches,
            _ => throw Error(start, $"unsupported operator \"{text}\""),
        };
    }

    private string Value(bool allowAlternativeQuotes)
    {
        var (start, token, text) = Scan();
        return token switch
        {
            Token.Value or Token.Field => text,
            Token.Quoted => Unquote(start, text, allowAlternativeQuotes),
            _ => throw Error(start, "expected value or quoted"),
        };
    }

    private char? Peek() => _position < _input.Length ? _input[_position] : null;

    private (int Start, Token Token, string Text) Scan()
    {
        while (_position < _input.Length && char.IsWhiteSpace(_input[_position]))
        {
            _position++;
        }

        var start = _position;
        if (_position >= _input.Length)
        {
            return (start, Token.End, "");
        }

        var ch = _input[_position];
        if (ch == '\0')
        {
            throw Error(start, "unexpected null");
        }

        if (ch is '"' or '/' or '|')
        {
            ScanQuoted(ch);
            return (start, Token.Quoted, _input[start.._position]);
        }

        if (ch is ',' or '.')
        {
            _position++;
            _expectValue = false;
            return (start, Token.Separator, ch.ToString());
        }

        if (ch is '=' or '!' or '~')
        {
            while (_position < _input.Length && _input[_position] is '=' or '!' or '~')
            {
                _position++;
            }

            _expectValue = true;
            return (start, Token.Operator, _input[start.._position]);
        }

        if (_expectValue)
        {
            while (_position < _input.Length && _input[_position] != ',' && !char.IsWhiteSpace(_input[_position]) && !char.IsControl(_input[_position]))
            {
                _position++;
            }

            _expectValue = false;
            return (start, Token.Value, _input[start.._position]);
        }

        if (IsFieldChar(ch))
        {
            while (_position < _input.Length && IsFieldChar(_input[_position]))
            {
                _position++;
            }

            return (start, Token.Field, _input[start.._position]);
        }

        _position++;
        return (start, Token.Other, ch.ToString());
    }

    private void ScanQuoted(char quote)
    {
        var start = _position++;
        while (true)
        {
            if (_position >= _input.Length || _input[_position] == '\n')
            {
                throw Error(start, "quoted literal not terminated");
            }

            var ch = _input[_position++];
            if (ch == quote)
            {
                return;
            }

            if (ch == '\\')
            {
                _position++;
            }
        }
    }

    private string Unquote(int start, string quoted, bool allowAlternativeQuotes)
    {
        var quote = quoted[0];
        if (!allowAlternativeQuotes && quote != '"')
        {
            throw Error(start, "invalid quote encountered");
        }

        var body = quoted[1..^1];
        var text = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\')
            {
                text.Append(body[i]);
                continue;
            }

            if (++i >= body.Length)
            {
                throw Error(start, "unquoting failed: trailing backslash");
            }

            var escape = body[i];
            switch (escape)
            {
                case 'a': text.Append('\a'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'v': text.Append('\v'); break;
                case '\\': text.Append('\\'); break;
                case 'x': text.Append(CodePoint(start, body, ref i, 2, 16)); break;
                case 'u': text.Append(CodePoint(start, body, ref i, 4, 16)); break;
                case 'U': text.Append(CodePoint(start, body, ref i, 8, 16)); break;
                case >= '0' and <= '7': i--; text.Append(CodePoint(start, body, ref i, 3, 8)); break;
                default:
                    if (escape != quote)
                    {
                        throw Error(start, $"unquoting failed: illegal escape sequence \\{escape}");
                    }

                    text.Append(escape);
                    break;
            }
        }

        return text.ToString();
    }

    private string CodePoint(int start, string body, ref int i, int digits, int radix)
    {
        var number = body.Substring(i + 1, Math.Min(digits, body.Length - i - 1));
        if (number.Length != digits)
        {
            throw Error(start, "unquoting failed: illegal numeric escape sequence");
        }

        int value;
        try
        {
            value = radix == 16
                ? int.Parse(number, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                : Convert.ToInt32(number, 8);
        }
        catch (Exception error) when (error is FormatException or OverflowException)
        {
            throw Error(start, "unquoting failed: illegal numeric escape sequence");
        }

        if (value is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF) || (radix == 8 && value > 255))
        {
            throw Error(start, "unquoting failed: escape sequence out of range");
        }

        i += digits;
        return char.ConvertFromUtf32(value);
    }

    private static bool IsFieldChar(char ch) => ch == '_' || char.IsAsciiLetterOrDigit(ch);

    private FilterSyntaxException Error(int position, string problem) => new(_input, position, problem);
}
