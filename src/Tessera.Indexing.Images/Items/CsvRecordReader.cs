using System.Text;

namespace Tessera.Indexing.Images.Items;

/// <summary>
/// Reads RFC 4180 records: comma-separated fields, double-quoted fields that may hold commas, line
/// breaks and doubled quotes (<c>""</c>), CRLF or LF line ends.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    private readonly StringBuilder _field = new();
    private int _line = 1;

    /// <summary>The 1-based line the last record started on.</summary>
    public int RecordLine { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; <see langword="false"/> at the end.</summary>
    public bool TryRead(List<string> fields)
    {
        fields.Clear();
        _field.Clear();
        RecordLine = _line;
        var c = reader.Read();
        if (c < 0)
        {
            return false;
        }

        var quoted = false;
        var fieldStarted = false;
        while (true)
        {
            if (c < 0)
            {
                if (quoted)
                {
                    throw new InvalidDataException($"line {RecordLine}: a quoted field is not closed before the end of the file.");
                }

                fields.Add(_field.ToString());
                return true;
            }

            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        _line++;
                    }

                    _field.Append(ch);
                }
            }
            else if (ch == '"' && !fieldStarted)
            {
                quoted = true;
                fieldStarted = true;
            }
            else if (ch == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
                fieldStarted = false;
            }
            else if (ch == '\r' || ch == '\n')
            {
                if (ch == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                _line++;
                fields.Add(_field.ToString());
                return true;
            }
            else
            {
                _field.Append(ch);
                fieldStarted = true;
            }

            c = reader.Read();
        }
    }
}
