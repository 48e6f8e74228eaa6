using System.Globalization;
using System.Text;
using System.Text.Json;
using MixMate.Cli.Analysis;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;

namespace MixMate.Cli.Commands;

/// <summary>
/// <c>mixmate analyze FILE... [--json]</c>: loudness of each file per ITU-R BS.1770-4 / EBU R128.
/// Files are measured in parallel; results are printed in argument order. A file that cannot be
/// read is reported on stderr (one line naming it) and the others are still measured; the exit
/// code is then 2.
/// </summary>
internal static class AnalyzeCommand
{
    private const string Help = """
        Usage: mixmate analyze FILE... [--json] [--html FILE.html [--force]]

        Measures each file per ITU-R BS.1770-4 and EBU R128 (Tech 3341/3342):
          I        integrated loudness, LUFS (gated; '-' for digital silence)
          LRA      loudness range, LU ('-' when shorter than the short-term window allows)
          TP       true peak, dBTP (4x oversampled, maximum over channels)
          SP       sample peak, dBFS
          max M/S  highest momentary (400 ms) and short-term (3 s) loudness, LUFS

        Reads WAV (PCM 16/24/32, float 32/64, extensible), FLAC, AIFF, Ogg Vorbis/Opus and MP3.
        Channels are taken as mono, L R, L R C, L R Ls Rs, L R C Ls Rs or L R C LFE Ls Rs (5.1;
        the LFE is not measured, surrounds weigh +1.5 dB).

        Options:
          --json      print a JSON array, one object per file, in argument order
                      (levels rounded to 0.01 dB; null where a level does not exist)
          --html FILE write a self-contained HTML report: figures, loudness over time,
                      spectrum and platform playback gains of every file
          --force     overwrite the HTML report if it exists
          -h, --help  show this help

        Exit codes: 0 all files measured, 2 a file or argument was bad (the other files are
        still reported), 1 internal error.
        """;

    /// <summary>[main thread] Runs the command on the process's standard streams.</summary>
    public static int Run(IReadOnlyList<string> args) => Run(args, Console.Out, Console.Error);

    /// <summary>[main thread] Runs the command writing results to <paramref name="stdout"/> and one
    /// line per failed file to <paramref name="stderr"/>; argument errors are thrown as
    /// <see cref="CliException"/> for <c>Program</c> to print.</summary>
    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, bool? showProgress = null)
    {
        var reader = new ArgReader("analyze", args);
        if (reader.Flag("-h", "--help"))
        {
            stdout.WriteLine(Help);
            return ExitCodes.Ok;
        }

        bool json = reader.Flag("--json");
        string? htmlPath = reader.Option("--html");
        bool force = reader.Flag("--force");
        IReadOnlyList<string> files = reader.Positionals();
        if (files.Count == 0)
        {
            throw new CliException("analyze: no input files (usage: mixmate analyze FILE... [--json])");
        }

        if (htmlPath is not null)
        {
            AtomicFile.CheckDestination(htmlPath, files, force);
        }

        Outcome[] outcomes = AnalyzeAll(files, showProgress);

        var succeeded = new List<LoudnessAnalysis>(files.Count);
        foreach (Outcome outcome in outcomes)
        {
            if (outcome.Result is not null)
            {
                succeeded.Add(outcome.Result);
            }
        }

        if (json)
        {
            stdout.WriteLine(ToJson(succeeded));
        }
        else if (succeeded.Count > 0)
        {
            stdout.Write(FormatTable(succeeded));
        }

        if (htmlPath is not null && succeeded.Count > 0)
        {
            Html.AnalyzeHtmlReport.Build(succeeded).Save(htmlPath);
        }

        int exitCode = ExitCodes.Ok;
        foreach (Outcome outcome in outcomes)
        {
            if (outcome.Error is not null)
            {
                stderr.WriteLine($"mixmate: {outcome.Error}");
                exitCode = exitCode == ExitCodes.InternalError || outcome.ExitCode == ExitCodes.InternalError
                    ? ExitCodes.InternalError
                    : ExitCodes.BadInput;
            }
        }

        return exitCode;
    }

    /// <summary>[any thread] The JSON printed with --json: an array of rounded results.</summary>
    internal static string ToJson(IEnumerable<LoudnessAnalysis> results)
    {
        LoudnessAnalysis[] rounded = [.. results.Select(r => r.Rounded())];
        return JsonSerializer.Serialize(rounded, LoudnessJsonContext.Default.LoudnessAnalysisArray);
    }

    /// <summary>[any thread] The table printed without --json: one row per file, columns aligned.</summary>
    internal static string FormatTable(IReadOnlyList<LoudnessAnalysis> results)
    {
        string[] header = ["File", "I LUFS", "LRA LU", "TP dBTP", "SP dBFS", "Max M", "Max S", "Duration", "Rate/Ch"];
        var rows = new List<string[]>(results.Count + 1) { header };
        foreach (LoudnessAnalysis r in results)
        {
            rows.Add(
            [
                r.Path,
                Level(r.IntegratedLufs),
                Level(r.LoudnessRangeLu),
                Level(r.TruePeakDbtp),
                Level(r.SamplePeakDbfs),
                Level(r.MaxMomentaryLufs),
                Level(r.MaxShortTermLufs),
                Duration(r.DurationSeconds),
                string.Create(CultureInfo.InvariantCulture, $"{r.SampleRate}/{r.Channels}"),
            ]);
        }

        int[] widths = new int[header.Length];
        foreach (string[] row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (string[] row in rows)
        {
            // File name left-aligned, numbers right-aligned so decimal points line up.
            text.Append(row[0].PadRight(widths[0]));
            for (int i = 1; i < row.Length; i++)
            {
                text.Append("  ").Append(row[i].PadLeft(widths[i]));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static Outcome[] AnalyzeAll(IReadOnlyList<string> files, bool? showProgress)
    {
        var outcomes = new Outcome[files.Count];
        double[] fractions = new double[files.Count];
        using var progress = new ProgressBar("analyze", showProgress);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) };
        Parallel.For(0, files.Count, options, i =>
        {
            outcomes[i] = AnalyzeOne(files[i], fraction =>
            {
                Volatile.Write(ref fractions[i], fraction);
                double sum = 0;
                for (int k = 0; k < fractions.Length; k++)
                {
                    sum += Volatile.Read(ref fractions[k]);
                }

                progress.Report(sum / fractions.Length);
            });
            Volatile.Write(ref fractions[i], 1.0);
        });
        return outcomes;
    }

    private static Outcome AnalyzeOne(string path, Action<double> progress)
    {
        try
        {
            return new Outcome(FileAnalyzer.Analyze(path, progress), null, ExitCodes.Ok);
        }
        catch (CliException e)
        {
            return new Outcome(null, e.Message, e.ExitCode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Outcome(null, CliException.ForFile(path, $"cannot read: {e.Message}").Message, ExitCodes.BadInput);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Keep measuring the other files; the failure is still reported and sets exit code 1.
            return new Outcome(null, $"{path}: internal error: {e.Message}", ExitCodes.InternalError);
        }
    }

    private static string Level(double? value) =>
        value is double v ? Figures.Tenths(v).ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Duration(double seconds)
    {
        double rounded = Math.Round(seconds, 2, MidpointRounding.AwayFromZero);
        int minutes = (int)(rounded / 60);
        return string.Create(CultureInfo.InvariantCulture, $"{minutes}:{rounded - (minutes * 60):00.00}");
    }

    private sealed record Outcome(LoudnessAnalysis? Result, string? Error, int ExitCode);
}
