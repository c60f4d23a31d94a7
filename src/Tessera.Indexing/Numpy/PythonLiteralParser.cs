using System.Globalization;
using System.Text;

namespace Tessera.Indexing.Numpy;

/// <summary>
/// Parses the small subset of Python literals a <c>.npy</c> header uses: a dictionary of string keys
/// whose values are strings, <c>True</c>/<c>False</c>/<c>None</c>, integers, or tuples/lists of those.
/// Tuples and lists become <see cref="List{T}"/>, integers <see cref="long"/>.
/// </summary>
internal ref struct PythonLiteralParser
{
    private readonly string _text;
    private int _position;

    private PythonLiteralParser(string text)
    {
        _text = text;
        _position = 0;
    }

    /// <summary>Parses <paramref name="text"/> as a dictionary literal (trailing whitespace allowed).</summary>
    /// <param name="text">The literal.</param>
    /// <returns>Keys and values.</returns>
    /// <exception cref="FormatException">The text is not such a literal.</exception>
    public static Dictionary<string, object?> ParseDictionary(string text)
    {
        var parser = new PythonLiteralParser(text);
        parser.SkipWhitespace();
        if (parser.ParseValue() is not Dictionary<string, object?> dictionary)
        {
            throw new FormatException("expected a dictionary");
        }

        parser.SkipWhitespace();
        if (parser._position != text.Length)
        {
            throw new FormatException($"unexpected text after the dictionary at {parser._position}");
        }

        return dictionary;
    }

    private object? ParseValue()
    {
        SkipWhitespace();
        if (_position >= _text.Length)
        {
            throw new FormatException("unexpected end");
        }

        var c = _text[_position];
        switch (c)
        {
            case '{':
                return ParseDict();
            case '(':
                return ParseSequence(')');
            case '[':
                return ParseSequence(']');
            case '\'' or '"':
                return ParseString();
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            return ParseInteger();
        }

        if (TryKeyword("True"))
        {
            return true;
        }

        if (TryKeyword("False"))
        {
            return false;
        }

        if (TryKeyword("None"))
        {
            return null;
        }

        throw new FormatException($"unexpected '{c}' at {_position}");
    }

    private Dictionary<string, object?> ParseDict()
    {
        Expect('{');
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipWhitespace();
            if (Peek() == '}')
            {
                _position++;
                return result;
            }

            if (ParseValue() is not string key)
            {
                throw new FormatException($"expected a string key at {_position}");
            }

            SkipWhitespace();
            Expect(':');
            result[key] = ParseValue();
            SkipWhitespace();
            if (Peek() == ',')
            {
                _position++;
            }
            else if (Peek() != '}')
            {
                throw new FormatException($"expected ',' or '}}' at {_position}");
            }
        }
    }

    private List<object?> ParseSequence(char close)
    {
        _position++;
        var result = new List<object?>();
        while (true)
        {
            SkipWhitespace();
            if (Peek() == close)
            {
                _position++;
                return result;
            }

            result.Add(ParseValue());
            SkipWhitespace();
            if (Peek() == ',')
            {
                _position++;
            }
            else if (Peek() != close)
            {
                throw new FormatException($"expected ',' or '{close}' at {_position}");
            }
        }
    }

    private string ParseString()
    {
        var quote = _text[_position++];
        var builder = new StringBuilder();
        while (_position < _text.Length)
        {
            var c = _text[_position++];
            if (c == quote)
            {
                return builder.ToString();
            }

            if (c == '\\' && _position < _text.Length)
            {
                c = _text[_position++];
            }

            builder.Append(c);
        }

        throw new FormatException("unterminated string");
    }

    private long ParseInteger()
    {
        var start = _position;
        if (_text[_position] == '-')
        {
            _position++;
        }

        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            _position++;
        }

        var digits = _text.AsSpan(start, _position - start);

        // Python 2 wrote long integers with an L suffix.
        if (_position < _text.Length && _text[_position] is 'L' or 'l')
        {
            _position++;
        }

        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"bad integer '{digits}'");
        }

        return value;
    }

    private bool TryKeyword(string keyword)
    {
        if (string.CompareOrdinal(_text, _position, keyword, 0, keyword.Length) == 0)
        {
            _position += keyword.Length;
            return true;
        }

        return false;
    }

    private readonly char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw new FormatException($"expected '{c}' at {_position}");
        }

        _position++;
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }
}
