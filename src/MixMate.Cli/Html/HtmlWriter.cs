using System.Text;

namespace MixMate.Cli.Html;

/// <summary>
/// Writes XHTML-compatible markup (every element closed, attributes quoted, text escaped), so a
/// report parses both as HTML and as XML. Elements are opened and closed explicitly; the writer
/// checks the nesting so a mistake fails in the tests instead of producing a broken page.
/// </summary>
internal sealed class HtmlWriter
{
    private readonly StringBuilder _text = new(64 * 1024);
    private readonly Stack<string> _open = new();

    /// <summary>Characters written so far.</summary>
    public int Length => _text.Length;

    /// <summary>[any thread, one writer per thread] Opens <paramref name="tag"/> with attributes given as
    /// name/value pairs; a null value leaves the attribute out.</summary>
    public HtmlWriter Open(string tag, params ReadOnlySpan<string?> attributes)
    {
        StartTag(tag, attributes);
        _text.Append('>');
        _open.Push(tag);
        return this;
    }

    /// <summary>Closes the innermost element, which must be <paramref name="tag"/>.</summary>
    public HtmlWriter Close(string tag)
    {
        if (_open.Count == 0 || _open.Peek() != tag)
        {
            throw new InvalidOperationException($"Closing <{tag}> but the open element is <{(_open.Count == 0 ? "none" : _open.Peek())}>.");
        }

        _open.Pop();
        _text.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element with escaped text content.</summary>
    public HtmlWriter Element(string tag, string text, params ReadOnlySpan<string?> attributes)
    {
        StartTag(tag, attributes);
        _text.Append('>').Append(Markup.Escape(text)).Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element without content, written self-closed (<c>&lt;path … /&gt;</c>); only for
    /// SVG elements and HTML void elements.</summary>
    public HtmlWriter Empty(string tag, params ReadOnlySpan<string?> attributes)
    {
        StartTag(tag, attributes);
        _text.Append(" />");
        return this;
    }

    /// <summary>Escaped text.</summary>
    public HtmlWriter Text(string text)
    {
        _text.Append(Markup.Escape(text));
        return this;
    }

    /// <summary>Markup written as is: only for constant strings of this assembly and for text
    /// already escaped (JSON with &lt; and &amp; encoded, CSS without them).</summary>
    public HtmlWriter Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    /// <summary>The document; every element must have been closed.</summary>
    public override string ToString()
    {
        if (_open.Count != 0)
        {
            throw new InvalidOperationException($"<{_open.Peek()}> was never closed.");
        }

        return _text.ToString();
    }

    private void StartTag(string tag, ReadOnlySpan<string?> attributes)
    {
        if (attributes.Length % 2 != 0)
        {
            throw new ArgumentException("Attributes come as name/value pairs.", nameof(attributes));
        }

        _text.Append('<').Append(tag);
        for (int i = 0; i < attributes.Length; i += 2)
        {
            if (attributes[i + 1] is string value)
            {
                _text.Append(' ').Append(attributes[i]).Append("=\"").Append(Markup.Escape(value)).Append('"');
            }
        }
    }
}
