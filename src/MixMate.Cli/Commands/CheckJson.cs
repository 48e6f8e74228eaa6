using System.Text;
using System.Text.Json;
using MixMate.Assistant.Problems;

namespace MixMate.Cli.Commands;

/// <summary>
/// The JSON of <c>mixmate check --json</c>: an array in argument order, one object per file with
/// <c>path</c> and <c>problems[]</c> (each: <c>kind</c>, <c>severity</c>, <c>start</c>, <c>end</c>
/// — seconds, null for whole-file problems — <c>value</c>, <c>threshold</c>, <c>unit</c>,
/// <c>source</c>, <c>message</c>, <c>fix</c>). A file that could not be read has <c>error</c> and
/// an empty <c>problems</c>.
/// </summary>
internal static class CheckJson
{
    /// <summary>[any thread] The whole array, indented.</summary>
    public static string Write(IReadOnlyList<CheckOutcome> outcomes, CheckProfile profile)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (CheckOutcome o in outcomes)
            {
                w.WriteStartObject();
                w.WriteString("path", o.Path);
                w.WriteString("profile", profile.Name);
                if (o.Report is CheckReport r)
                {
                    w.WriteNumber("durationSeconds", Math.Round(r.DurationSeconds, 3));
                    Level(w, "integratedLufs", r.IntegratedLufs);
                    Level(w, "truePeakDbtp", r.TruePeakDbtp);
                    Level(w, "samplePeakDbfs", r.SamplePeakDbfs);
                    Level(w, "loudnessRangeLu", r.LoudnessRangeLu);
                    w.WriteStartArray("problems");
                    foreach (Problem p in r.Problems)
                    {
                        WriteProblem(w, p);
                    }

                    w.WriteEndArray();
                }
                else
                {
                    w.WriteString("error", o.Error);
                    w.WriteStartArray("problems");
                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteProblem(Utf8JsonWriter w, Problem p)
    {
        w.WriteStartObject();
        w.WriteString("kind", p.Kind.Name());
        w.WriteString("severity", p.Severity switch
        {
            ProblemSeverity.Error => "error",
            ProblemSeverity.Warning => "warning",
            _ => "info",
        });
        Time(w, "start", p.Start);
        Time(w, "end", p.End);
        Level(w, "value", p.Value);
        Level(w, "threshold", p.Threshold);
        w.WriteString("unit", p.Unit);
        w.WriteString("source", p.Source);
        w.WriteString("message", p.Message);
        w.WriteString("fix", p.Fix);
        w.WriteEndObject();
    }

    private static void Time(Utf8JsonWriter w, string name, double? seconds)
    {
        if (seconds is double s && double.IsFinite(s))
        {
            w.WriteNumber(name, Math.Round(s, 3));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Level(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, Math.Round(value, 2) + 0.0);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
