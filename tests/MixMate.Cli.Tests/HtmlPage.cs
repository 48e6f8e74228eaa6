using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>A report page parsed as XML (which also proves it is well-formed), with the helpers the
/// HTML tests share: the data-key cells, the JSON data island, and paths into JSON documents.</summary>
internal sealed class HtmlPage
{
    public static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private HtmlPage(XDocument document, string text)
    {
        Document = document;
        Text = text;
    }

    public XDocument Document { get; }

    public string Text { get; }

    /// <summary>Parses <paramref name="path"/> strictly as XML (DTD ignored: the HTML5 doctype has none).</summary>
    public static HtmlPage Load(string path) => Parse(File.ReadAllText(path));

    public static HtmlPage Parse(string text)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, CheckCharacters = true };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        return new HtmlPage(XDocument.Load(reader), text);
    }

    /// <summary>Every element carrying <c>data-key</c>.</summary>
    public IReadOnlyList<XElement> Keyed() =>
        [.. Document.Descendants().Where(e => e.Attribute("data-key") is not null)];

    public IReadOnlyList<XElement> Plots() =>
        [.. Document.Descendants(Svg + "svg")];

    /// <summary>The JSON data island, parsed.</summary>
    public JsonDocument DataIsland()
    {
        XElement script = Document.Descendants(Xhtml + "script").Single(e => (string?)e.Attribute("id") == "mixmate-data");
        Assert.Equal("application/json", (string?)script.Attribute("type"));
        return JsonDocument.Parse(script.Value);
    }

    /// <summary>The element at <paramref name="path"/> (<c>a.b[2].c</c> or <c>[0].d</c>) in <paramref name="root"/>, or null.</summary>
    public static JsonElement? Resolve(JsonElement root, string path)
    {
        JsonElement current = root;
        int i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                continue;
            }

            if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                int index = int.Parse(path.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[index];
                i = end + 1;
                continue;
            }

            int stop = path.IndexOfAny(['.', '['], i);
            string name = stop < 0 ? path[i..] : path[i..stop];
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out JsonElement next))
            {
                return null;
            }

            current = next;
            i = stop < 0 ? path.Length : stop;
        }

        return current;
    }

    /// <summary>Checks every <c>data-key</c> cell against <paramref name="json"/>: a number cell holds
    /// exactly the JSON number (null cells: JSON null), a text cell exactly the JSON string.
    /// Keys under <c>playback.</c> are derived values, returned for separate checks.
    /// Returns the number of cells compared.</summary>
    public int AssertMatches(JsonElement json, Action<string, double>? derived = null)
    {
        int compared = 0;
        foreach (XElement cell in Keyed())
        {
            string key = (string)cell.Attribute("data-key")!;
            if (key.Contains("playback.", StringComparison.Ordinal))
            {
                derived?.Invoke(key, double.Parse((string)cell.Attribute("data-value")!, CultureInfo.InvariantCulture));
                continue;
            }

            JsonElement? value = Resolve(json, key);
            Assert.True(value is not null, $"data-key '{key}' is not in the JSON report");
            if (cell.Attribute("data-value") is XAttribute number)
            {
                if (number.Value.Length == 0)
                {
                    Assert.Equal(JsonValueKind.Null, value.Value.ValueKind);
                }
                else
                {
                    Assert.True(value.Value.ValueKind == JsonValueKind.Number, $"{key}: JSON holds {value.Value.ValueKind}");
                    Assert.Equal(value.Value.GetDouble(), double.Parse(number.Value, CultureInfo.InvariantCulture));
                }
            }
            else
            {
                Assert.Equal(value.Value.GetString(), (string?)cell.Attribute("data-text"));
            }

            compared++;
        }

        return compared;
    }
}
