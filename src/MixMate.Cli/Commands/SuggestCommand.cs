using System.Globalization;
using System.Text;
using System.Text.Json;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Models;
using MixMate.Assistant.Reference;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Assistant.Text;

namespace MixMate.Cli.Commands;

/// <summary>
/// <c>mixmate suggest FILE... [--json]</c>: each track's role (learned role model) and EQ moves
/// (the tonal engine's fault finder against the reference for the track's kind, at most 6 bounded
/// bands, each with its reason). When the role model is missing, corrupt or fails its checksum the
/// command says so on stderr and goes on without a role (EQ against the mix reference). Silent and very short files get <c>role: null</c> with a reason.
/// Unreadable files are reported on stderr and the others still processed (exit code 2).
/// </summary>
internal static class SuggestCommand
{
    private const string Help = """
        Usage: mixmate suggest FILE... [--json] [--html FILE.html [--force]] [--role FILE=ROLE]...
                               [--target-curve STYLE.json]

        Detects each track's role (kick, snare, hihat_cymbals, drums, percussion, bass, vocal,
        guitar, keys, synth_lead, pad, strings, brass_winds, fx, mix) and suggests up to 6 EQ
        moves (at most ±4 dB each, ±6 dB together), each with the reason a person can check.
        EQ undoes faults — resonances, notches, shelves beyond what clean tracks of the same
        kind show (the role's reference, speech's, or the mix's) — and leaves a clean track alone.

        The models live in models/ (checked against models/SHA256SUMS; MIXMATE_MODELS_DIR
        overrides the folder) and run with ONNX Runtime (the Microsoft.ML.OnnxRuntime package;
        MIXMATE_ORT_PATH overrides the library). Without them the command still runs: no role,
        EQ against the mix reference, and it says so.

        Options:
          --json      print a JSON array, one object per file, in argument order:
                      path, role, roleConfidence, roles (probability per role), roleReason
                      (the evidence and the runner-up, "confident"/"likely"/"unsure", the
                      user's setting, or why the role is unknown), roleSource (model, user; null when unknown),
                      eq (type, frequencyHz, gainDb, q, reason, deviationDb, atHz, word),
                      eqSource, tonalReference, speech (when checked), referenceBandsDb, notes
          --role FILE=ROLE
                      set the role of input FILE yourself (repeatable); the EQ follows it and
                      the report keeps what the model heard
          --target-curve STYLE.json
                      suggest EQ toward this style target's curve (from 'mixmate target
                      build') instead of the role's or the full-mix reference (eqSource
                      "target-curve"); roles are still detected
          --html FILE write a self-contained HTML report: role, spectrum with the moves marked,
                      moves with their reasons (--force overwrites it)
          -h, --help  show this help

        Exit codes: 0 all files processed, 2 a file or argument was bad, 1 internal error.
        """;

    /// <summary>[main thread] Runs the command on the process's standard streams.</summary>
    public static int Run(IReadOnlyList<string> args) => Run(args, Console.Out, Console.Error, null);

    /// <summary>[main thread] Runs the command with explicit streams and, for tests, an explicit
    /// models folder (null: the usual search).</summary>
    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, string? modelsDirectory)
    {
        var reader = new ArgReader("suggest", args);
        if (reader.Flag("-h", "--help"))
        {
            stdout.WriteLine(Help);
            return ExitCodes.Ok;
        }

        bool json = reader.Flag("--json");
        string? htmlPath = reader.Option("--html");
        bool force = reader.Flag("--force");
        string? curvePath = reader.Option("--target-curve");
        IReadOnlyList<string> roleSpecs = reader.Options(RoleOverrides.Option);
        IReadOnlyList<string> files = reader.Positionals();
        if (files.Count == 0)
        {
            throw new CliException("suggest: no input files (usage: mixmate suggest FILE... [--json])");
        }

        string?[] userRoles = RoleOverrides.Parse("suggest", roleSpecs, files);

        if (htmlPath is not null)
        {
            Output.AtomicFile.CheckDestination(htmlPath, files, force);
        }

        MatchTarget? curve = curvePath is null ? null : MatchSource.LoadStyle(curvePath).Target;
        var htmlItems = new List<Html.SuggestHtmlReport.Item>();

        using SuggestionEngine engine = SuggestionEngine.Create(modelsDirectory);
        if (engine.RoleModelProblem is not null)
        {
            stderr.WriteLine($"mixmate: suggest: role model unavailable: {engine.RoleModelProblem}; roles will be null");
        }

        var results = new List<(string Path, TrackSuggestion Suggestion)>(files.Count);
        int exitCode = ExitCodes.Ok;
        for (int f = 0; f < files.Count; f++)
        {
            string file = files[f];
            try
            {
                // Streamed in two passes (role plan and spectrum, then the patches' few seconds):
                // memory does not grow with the track.
                using FileSource audio = FileSource.Open(file);
                TrackSuggestion suggestion = engine.Analyze(audio, userRoles[f]);
                if (curve is not null && suggestion.BandsDb.Count > 0)
                {
                    suggestion = suggestion with
                    {
                        Eq = TargetCurveSuggestion.Suggest([.. suggestion.BandsDb], curve, audio.SampleRate).Moves,
                        EqSource = "target-curve",
                        Notes = [.. suggestion.Notes.Where(n => !n.StartsWith("learned EQ model not used", StringComparison.Ordinal) && !n.StartsWith("no role, so EQ", StringComparison.Ordinal)),
                            $"EQ toward the style target '{curve.Name}' ({curvePath})"],
                    };
                }

                results.Add((file, suggestion));
                if (htmlPath is not null)
                {
                    htmlItems.Add(Html.SuggestHtmlReport.Item.From(file, results[^1].Suggestion));
                }
            }
            catch (CliException e)
            {
                stderr.WriteLine($"mixmate: {e.Message}");
                exitCode = Math.Max(exitCode, e.ExitCode);
            }
        }

        stdout.Write(json ? ToJson(results) + "\n" : FormatText(results));
        if (htmlPath is not null && htmlItems.Count > 0)
        {
            Html.SuggestHtmlReport.Build(htmlItems).Save(htmlPath);
        }

        return exitCode;
    }

    /// <summary>[any thread] The --json output.</summary>
    internal static string ToJson(IReadOnlyList<(string Path, TrackSuggestion Suggestion)> results)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach ((string path, TrackSuggestion s) in results)
            {
                w.WriteStartObject();
                w.WriteString("path", path);
                if (s.Role.Role is null)
                {
                    w.WriteNull("role");
                    w.WriteNull("roleConfidence");
                }
                else
                {
                    w.WriteString("role", s.Role.Role);
                    w.WriteNumber("roleConfidence", Math.Round(s.Role.Confidence, 4));
                }

                w.WriteStartObject("roles");
                foreach (KeyValuePair<string, double> p in s.Role.Probabilities)
                {
                    w.WriteNumber(p.Key, Math.Round(p.Value, 4));
                }

                w.WriteEndObject();
                w.WriteString("roleReason", s.Role.Explanation);
                if (s.Role.IsSetByUser || s.Role.Role is not null)
                {
                    w.WriteString("roleSource", s.Role.IsSetByUser ? "user" : "model");
                }
                else
                {
                    w.WriteNull("roleSource");
                }

                w.WriteStartArray("eq");
                foreach (EqMove m in s.Eq)
                {
                    w.WriteStartObject();
                    w.WriteString("type", FilterNames.Json(m.Type));
                    w.WriteNumber("frequencyHz", Math.Round(m.FrequencyHz, 1));
                    w.WriteNumber("gainDb", Math.Round(m.GainDb, 2));
                    w.WriteNumber("q", Math.Round(m.Q, 2));
                    w.WriteString("reason", m.Reason);
                    if (m.DeviationDb is double d)
                    {
                        w.WriteNumber("deviationDb", d);
                    }

                    if (m.AtHz is double at)
                    {
                        w.WriteNumber("atHz", at);
                    }

                    if (m.Word is not null)
                    {
                        w.WriteString("word", m.Word);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("eqSource", s.EqSource);
                w.WriteString("tonalReference", s.TonalReference);
                if (s.Speech is not null)
                {
                    w.WriteBoolean("speech", s.Speech.IsSpeech);
                }

                w.WriteStartArray("referenceBandsDb");
                foreach (double v in s.ReferenceBandsDb)
                {
                    w.WriteNumberValue(Math.Round(v, 2));
                }

                w.WriteEndArray();
                w.WriteStartArray("notes");
                foreach (string note in s.Notes)
                {
                    w.WriteStringValue(note);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>[any thread] The human-readable output.</summary>
    internal static string FormatText(IReadOnlyList<(string Path, TrackSuggestion Suggestion)> results)
    {
        var sb = new StringBuilder();
        foreach ((string path, TrackSuggestion s) in results)
        {
            sb.AppendLine(path);
            sb.Append("  role: ").Append(s.Role.Role ?? "unknown").Append(" — ").AppendLine(s.Role.Explanation);

            string source = s.EqSource switch
            {
                "rule-based" => $"tonal engine, {s.TonalReference} reference",
                "target-curve" => "style target curve",
                _ => "none",
            };
            if (s.Eq.Count == 0)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  EQ ({source}): nothing worth changing");
            }
            else
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  EQ ({source}):");
                foreach (EqMove m in s.Eq)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"    {FilterNames.Json(m.Type),-9} {m.FrequencyHz,8:0.#} Hz {Signed.One(m.GainDb),6} dB  Q {m.Q:0.00}  {m.Reason}");
                }
            }

            foreach (string note in s.Notes)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  note: {note}");
            }
        }

        return sb.ToString();
    }
}
