using System;
using System.Text;

namespace NetGen.Generator.Emit;

/// <summary>A string builder that tracks indentation, so emitted code comes out formatted.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _depth * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    /// <summary>A blank line, unless the text already ends with one (or with an opening brace).</summary>
    public CodeWriter Blank()
    {
        if (_text.Length >= 2 && _text[_text.Length - 1] == '\n' && (_text[_text.Length - 2] == '\n' || _text[_text.Length - 2] == '{'))
        {
            return this;
        }

        return Line();
    }

    public CodeWriter Open(string line)
    {
        if (line.Length > 0)
        {
            Line(line);
        }

        Line("{");
        _depth++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        // No blank line before a closing brace.
        if (_text.Length >= 2 && _text[_text.Length - 1] == '\n' && _text[_text.Length - 2] == '\n')
        {
            _text.Length--;
        }

        _depth--;
        Line("}" + suffix);
        return this;
    }

    /// <summary>Opens a brace block that closes when the returned scope is disposed.</summary>
    public Scope Block(string line)
    {
        Open(line);
        return new Scope(this);
    }

    public override string ToString() => _text.ToString();

    internal readonly struct Scope : IDisposable
    {
        private readonly CodeWriter? _writer;

        public Scope(CodeWriter writer) => _writer = writer;

        public void Dispose() => _writer?.Close();
    }
}
