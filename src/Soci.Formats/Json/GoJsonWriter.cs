using System.Buffers;
using System.Globalization;
using System.Text;

namespace Soci.Formats.Json;

/// <summary>
/// Writes JSON byte-for-byte as Go's <c>encoding/json</c> does (formats §6.1): compact <c>Marshal</c> output, or
/// <c>MarshalIndent</c> output when an indent is given. Content-addressed manifests need exactly these bytes.
/// </summary>
public sealed class GoJsonWriter
{
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly string? _indent;
    private readonly Stack<(bool IsObject, int Count)> _containers = new();
    private bool _afterPropertyName;

    /// <param name="indent">null for compact output; e.g. two spaces for <c>json.MarshalIndent(v, "", "  ")</c>.</param>
    public GoJsonWriter(string? indent = null) => _indent = indent;

    public byte[] ToArray() => _output.WrittenSpan.ToArray();

    public override string ToString() => Encoding.UTF8.GetString(_output.WrittenSpan);

    public GoJsonWriter StartObject() => Open('{', isObject: true);

    public GoJsonWriter EndObject() => Close('}');

    public GoJsonWriter StartArray() => Open('[', isObject: false);

    public GoJsonWriter EndArray() => Close(']');

    public GoJsonWriter PropertyName(string name)
    {
        BeforeValue();
        WriteEscaped(Encoding.UTF8.GetBytes(name));
        Raw(_indent is null ? ":" : ": ");
        _afterPropertyName = true;
        return this;
    }

    public GoJsonWriter String(string value) => String(Encoding.UTF8.GetBytes(value));

    /// <summary>Writes raw bytes as a JSON string; invalid UTF-8 becomes <c>\ufffd</c> like Go.</summary>
    public GoJsonWriter String(ReadOnlySpan<byte> value)
    {
        BeforeValue();
        WriteEscaped(value);
        return this;
    }

    public GoJsonWriter Number(long value)
    {
        BeforeValue();
        Raw(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public GoJsonWriter Null()
    {
        BeforeValue();
        Raw("null");
        return this;
    }

    public GoJsonWriter Property(string name, string value) => PropertyName(name).String(value);

    public GoJsonWriter Property(string name, long value) => PropertyName(name).Number(value);

    private GoJsonWriter Open(char bracket, bool isObject)
    {
        BeforeValue();
        Raw(bracket.ToString());
        _containers.Push((isObject, 0));
        return this;
    }

    private GoJsonWriter Close(char bracket)
    {
        var (_, count) = _containers.Pop();
        if (count > 0)
        {
            NewLine();
        }
        Raw(bracket.ToString());
        return this;
    }

    private void BeforeValue()
    {
        if (_afterPropertyName)
        {
            _afterPropertyName = false;
            return;
        }
        if (_containers.Count == 0)
        {
            return;
        }
        var (isObject, count) = _containers.Pop();
        if (count > 0)
        {
            Raw(",");
        }
        _containers.Push((isObject, count + 1));
        NewLine();
    }

    private void NewLine()
    {
        if (_indent is null)
        {
            return;
        }
        Raw("\n");
        for (var i = 0; i < _containers.Count; i++)
        {
            Raw(_indent);
        }
    }

    private void Raw(string ascii) => _output.Write(Encoding.ASCII.GetBytes(ascii));

    private void WriteEscaped(ReadOnlySpan<byte> value)
    {
        Raw("\"");
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b < 0x80)
            {
                WriteAsciiEscaped(b);
                i++;
                continue;
            }
            var status = Rune.DecodeFromUtf8(value[i..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                Raw("\\ufffd");
                i += Math.Max(consumed, 1);
                continue;
            }
            if (rune.Value is 0x2028 or 0x2029)
            {
                Raw($"\\u{rune.Value:x4}");
            }
            else
            {
                _output.Write(value.Slice(i, consumed));
            }
            i += consumed;
        }
        Raw("\"");
    }

    private void WriteAsciiEscaped(byte b)
    {
        switch (b)
        {
            case (byte)'"':
                Raw("\\\"");
                break;
            case (byte)'\\':
                Raw("\\\\");
                break;
            case (byte)'\b':
                Raw("\\b");
                break;
            case (byte)'\f':
                Raw("\\f");
                break;
            case (byte)'\n':
                Raw("\\n");
                break;
            case (byte)'\r':
                Raw("\\r");
                break;
            case (byte)'\t':
                Raw("\\t");
                break;
            case (byte)'<' or (byte)'>' or (byte)'&':
            case < 0x20:
                Raw($"\\u00{b:x2}");
                break;
            default:
                _output.Write([b]);
                break;
        }
    }
}
