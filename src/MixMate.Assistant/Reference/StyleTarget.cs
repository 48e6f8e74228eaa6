using System.Globalization;
using System.Text;
using System.Text.Json;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Reference;

/// <summary>
/// A style target (<c>mixmate target build REF... -o style.json</c>): the tonal curve of several
/// references averaged as shapes (each at its own median 0 dB, so a loud and a quiet reference
/// weigh the same), with its spread per band, and their mean loudness, loudness range, true peak
/// and width. Read and written as JSON (<see cref="ToJson"/>, <see cref="Parse"/>); the plug-in
/// keeps the same text in its state.
/// </summary>
/// <param name="Name">The target's name.</param>
/// <param name="Target">What a match moves toward.</param>
/// <param name="TruePeakDbtp">Mean true peak of the references (informative).</param>
/// <param name="Sources">The references it was built from.</param>
public sealed record StyleTarget(string Name, MatchTarget Target, double TruePeakDbtp, IReadOnlyList<StyleSource> Sources)
{
    /// <summary>The <c>format</c> field of every style target file.</summary>
    public const string FormatName = "mixmate-target";

    /// <summary>The version this build writes; files of this version or older are read.</summary>
    public const int FormatVersion = 1;

    /// <summary>[any-thread] Averages the profiles of several references into a target.</summary>
    /// <exception cref="ArgumentException">No references.</exception>
    public static StyleTarget Build(string name, IReadOnlyList<ProgrammeProfile> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            throw new ArgumentException("A target needs at least one reference.", nameof(references));
        }

        int n = ThirdOctaveBands.Count;
        var curve = new double[n];
        var spread = new double[n];
        double[][] shapes = [.. references.Select(r => r.ShapeDb())];
        for (int b = 0; b < n; b++)
        {
            double[] values = [.. shapes.Select(s => s[b]).Where(double.IsFinite)];
            if (values.Length * 2 < references.Count || values.Length == 0)
            {
                // Most references have nothing here (above their Nyquist, or empty): no target.
                curve[b] = double.NegativeInfinity;
                continue;
            }

            double mean = values.Average();
            curve[b] = mean;
            spread[b] = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        }

        double?[] widths = [.. references.Select(r => r.WidthDb).Where(w => w is not null)];
        var target = new MatchTarget(name, curve, spread,
            references.Average(r => r.IntegratedLufs),
            references.Average(r => r.LoudnessRangeLu),
            widths.Length > 0 ? widths.Average() : null);
        return new StyleTarget(name, target, references.Average(r => r.TruePeakDbtp),
            [.. references.Select(r => new StyleSource(Path.GetFileName(r.Name), r.DurationSeconds, r.IntegratedLufs, r.LoudnessRangeLu, r.TruePeakDbtp, r.WidthDb))]);
    }

    /// <summary>[any-thread] The target as JSON text (indented, invariant culture).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", FormatVersion);
            w.WriteString("name", Name);
            w.WriteStartArray("bandsHz");
            foreach (double hz in ThirdOctaveBands.Nominal)
            {
                w.WriteNumberValue(hz);
            }

            w.WriteEndArray();
            WriteLevels(w, "curveDb", Target.CurveDb);
            WriteLevels(w, "spreadDb", Target.SpreadDb);
            w.WriteNumber("integratedLufs", Math.Round(Target.IntegratedLufs, 2));
            w.WriteNumber("loudnessRangeLu", Math.Round(Target.LoudnessRangeLu, 2));
            w.WriteNumber("truePeakDbtp", Math.Round(TruePeakDbtp, 2));
            WriteOptional(w, "widthDb", Target.WidthDb);
            w.WriteStartArray("sources");
            foreach (StyleSource s in Sources)
            {
                w.WriteStartObject();
                w.WriteString("file", s.File);
                w.WriteNumber("durationSeconds", Math.Round(s.DurationSeconds, 3));
                w.WriteNumber("integratedLufs", Math.Round(s.IntegratedLufs, 2));
                w.WriteNumber("loudnessRangeLu", Math.Round(s.LoudnessRangeLu, 2));
                w.WriteNumber("truePeakDbtp", Math.Round(s.TruePeakDbtp, 2));
                WriteOptional(w, "widthDb", s.WidthDb);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>[any-thread] Reads a target written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">Not a MixMate target, a newer version, or a field missing or out of range; the message says which.</exception>
    public static StyleTarget Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.GetString() != FormatName)
            {
                throw new FormatException($"is not a MixMate target (no \"format\": \"{FormatName}\")");
            }

            int version = root.GetProperty("version").GetInt32();
            if (version < 1 || version > FormatVersion)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"is a version {version} target; this mixmate reads versions 1 to {FormatVersion}"));
            }

            string name = root.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? "target" : "target";
            double[] curve = ReadLevels(root, "curveDb");
            double[] spread = ReadLevels(root, "spreadDb");
            if (!curve.Any(double.IsFinite))
            {
                throw new FormatException("has no finite value in \"curveDb\"");
            }

            double lufs = Finite(root, "integratedLufs", -70, 0);
            double lra = Finite(root, "loudnessRangeLu", 0, 60);
            double tp = root.TryGetProperty("truePeakDbtp", out JsonElement t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : -1;
            double? width = root.TryGetProperty("widthDb", out JsonElement wd) && wd.ValueKind == JsonValueKind.Number ? wd.GetDouble() : null;
            var sources = new List<StyleSource>();
            if (root.TryGetProperty("sources", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement s in list.EnumerateArray())
                {
                    sources.Add(new StyleSource(
                        s.TryGetProperty("file", out JsonElement f) ? f.GetString() ?? string.Empty : string.Empty,
                        Number(s, "durationSeconds"), Number(s, "integratedLufs"), Number(s, "loudnessRangeLu"), Number(s, "truePeakDbtp"),
                        s.TryGetProperty("widthDb", out JsonElement sw) && sw.ValueKind == JsonValueKind.Number ? sw.GetDouble() : null));
                }
            }

            return new StyleTarget(name, new MatchTarget(name, curve, [.. spread.Select(v => double.IsFinite(v) ? v : 0)], lufs, lra, width), tp, sources);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"is not a valid MixMate target ({e.Message.Split('.', 2)[0]})", e);
        }
    }

    private static void WriteLevels(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                w.WriteNumberValue(Math.Round(v, 2));
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v)
        {
            w.WriteNumber(name, Math.Round(v, 2));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static double[] ReadLevels(JsonElement root, string name)
    {
        JsonElement array = root.GetProperty(name);
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != ThirdOctaveBands.Count)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"needs {ThirdOctaveBands.Count} values in \"{name}\" (one per third-octave band, 20 Hz–20 kHz)"));
        }

        return [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && Math.Abs(e.GetDouble()) <= 100 ? e.GetDouble() : double.NegativeInfinity)];
    }

    private static double Finite(JsonElement root, string name, double min, double max)
    {
        double v = root.GetProperty(name).GetDouble();
        if (!double.IsFinite(v) || v < min || v > max)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"has \"{name}\" {v} outside {min}..{max}"));
        }

        return v;
    }

    private static double Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
}

/// <summary>One reference a style target was built from, as measured.</summary>
public sealed record StyleSource(string File, double DurationSeconds, double IntegratedLufs, double LoudnessRangeLu, double TruePeakDbtp, double? WidthDb);
