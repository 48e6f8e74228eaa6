using System.Globalization;
using System.Text;
using MixMate.Assistant.Problems;
using MixMate.Cli.Analysis;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;

namespace MixMate.Cli.Commands;

/// <summary>
/// <c>mixmate check FILE... [--json] [--html FILE] [--profile P] [--fail-on warning|error]</c>:
/// lists what is wrong with each file — clipping, overs, DC, polarity and phase, imbalance, hum,
/// clicks, noise, resonances, sibilance, rumble, silence and cut tails, loudness, density and
/// format against the destination. Files are checked in parallel and reported in argument order; a
/// file that cannot be read gets one line on stderr and the others are still checked.
/// </summary>
internal static class CheckCommand
{
    /// <summary>Exit code when <c>--fail-on</c> finds a problem at that severity.</summary>
    public const int ProblemsFound = 4;

    private const string Help = """
        Usage: mixmate check FILE... [--json] [--html FILE.html [--force]]
                             [--profile streaming|cd|broadcast|podcast] [--fail-on warning|error]

        Finds what is wrong with each file and says how to fix it. Each problem has a kind, a
        severity (info, warning, error), where it happens (start/end in seconds; none for the
        whole file), the measured value, the threshold and where that comes from:
          clipping, true_peak_over, dc_offset, polarity, phase, stereo_imbalance, hum, clicks,
          noise, resonance, sibilance, rumble, silence_start, silence_end, abrupt_end,
          loudness, over_compressed, format

        Options:
          --profile P   where the file is going (default streaming):
                          streaming  -14 LUFS playback, -1 dBTP, 44.1 kHz+, lossless
                          cd         44.1 kHz / 16 bit / stereo, -0.3 dBTP
                          broadcast  EBU R128: -23 LUFS ±0.5 LU, -1 dBTP, 48 kHz
                          podcast    -16 LUFS, -1 dBTP, 44.1/48 kHz
          --fail-on S   exit 4 when a problem of severity S (warning or error) or worse is found
          --json        print a JSON array, one object per file, in argument order
          --html FILE   write a self-contained HTML report with the problems on a time axis
          --force       overwrite the HTML report if it exists
          -h, --help    show this help

        Exit codes: 0 checked (with or without problems), 4 --fail-on matched, 2 a file or
        argument was bad (the other files are still checked), 1 internal error.
        """;

    /// <summary>[main thread] Runs the command on the process's standard streams.</summary>
    public static int Run(IReadOnlyList<string> args) => Run(args, Console.Out, Console.Error);

    /// <summary>[main thread] Runs the command writing results to <paramref name="stdout"/> and one
    /// line per bad file to <paramref name="stderr"/>.</summary>
    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, bool? showProgress = null)
    {
        var reader = new ArgReader("check", args);
        if (reader.Flag("-h", "--help"))
        {
            stdout.WriteLine(Help);
            return ExitCodes.Ok;
        }

        bool json = reader.Flag("--json");
        bool force = reader.Flag("--force");
        string? htmlPath = reader.Option("--html");
        string profileName = reader.Choice("--profile", [.. CheckProfile.All.Select(p => p.Name)]) ?? CheckProfile.Streaming.Name;
        string? failOn = reader.Choice("--fail-on", "warning", "error");
        IReadOnlyList<string> files = reader.Positionals();
        if (files.Count == 0)
        {
            throw new CliException("check: no input files (usage: mixmate check FILE... [--json])");
        }

        if (htmlPath is not null)
        {
            AtomicFile.CheckDestination(htmlPath, files, force);
        }

        CheckProfile profile = CheckProfile.Find(profileName)!;
        CheckOutcome[] outcomes = CheckAll(files, profile, showProgress);

        if (json)
        {
            stdout.WriteLine(CheckJson.Write(outcomes, profile));
        }
        else
        {
            stdout.Write(FormatText(outcomes));
        }

        if (htmlPath is not null && outcomes.Any(o => o.Report is not null))
        {
            Html.CheckHtmlReport.Build(outcomes, profile).Save(htmlPath);
        }

        int exitCode = ExitCodes.Ok;
        foreach (CheckOutcome outcome in outcomes)
        {
            if (outcome.Error is not null)
            {
                stderr.WriteLine($"mixmate: {outcome.Error}");
                exitCode = exitCode == ExitCodes.InternalError || outcome.ExitCode == ExitCodes.InternalError
                    ? ExitCodes.InternalError
                    : ExitCodes.BadInput;
            }
        }

        if (exitCode == ExitCodes.Ok && failOn is not null)
        {
            ProblemSeverity level = failOn == "error" ? ProblemSeverity.Error : ProblemSeverity.Warning;
            if (outcomes.Any(o => o.Report?.Has(level) == true))
            {
                exitCode = ProblemsFound;
            }
        }

        return exitCode;
    }

    /// <summary>[any thread] The text printed without --json: per file a summary line, then one
    /// line per problem.</summary>
    internal static string FormatText(IReadOnlyList<CheckOutcome> outcomes)
    {
        var text = new StringBuilder();
        foreach (CheckOutcome o in outcomes)
        {
            if (o.Report is not CheckReport r)
            {
                continue;
            }

            int errors = r.Problems.Count(p => p.Severity == ProblemSeverity.Error);
            int warnings = r.Problems.Count(p => p.Severity == ProblemSeverity.Warning);
            int infos = r.Problems.Count - errors - warnings;
            text.Append(CultureInfo.InvariantCulture, $"{o.Path}: {Count(errors, "error")}, {Count(warnings, "warning")}, {Count(infos, "note")}\n");
            foreach (Problem p in r.Problems)
            {
                string severity = p.Severity switch
                {
                    ProblemSeverity.Error => "error",
                    ProblemSeverity.Warning => "warning",
                    _ => "info",
                };
                text.Append(CultureInfo.InvariantCulture, $"  {severity,-7}  {p.Kind.Name(),-16}  {When(p),-17}  {p.Message}\n");
                text.Append(CultureInfo.InvariantCulture, $"  {string.Empty,-7}  {string.Empty,-16}  {string.Empty,-17}  fix: {p.Fix}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>[any thread] Where a problem happens, as m:ss.s or m:ss.s–m:ss.s; "whole file".</summary>
    internal static string When(Problem p)
    {
        if (p.Start is not double start)
        {
            return "whole file";
        }

        double end = p.End ?? start;
        return end - start < 0.05 ? Clock(start) : $"{Clock(start)}–{Clock(end)}";
    }

    private static string Clock(double seconds)
    {
        seconds = Math.Round(seconds, 1, MidpointRounding.AwayFromZero);
        int minutes = (int)(seconds / 60);
        return string.Create(CultureInfo.InvariantCulture, $"{minutes}:{seconds - (minutes * 60):00.0}");
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static CheckOutcome[] CheckAll(IReadOnlyList<string> files, CheckProfile profile, bool? showProgress)
    {
        var outcomes = new CheckOutcome[files.Count];
        double[] fractions = new double[files.Count];
        using var progress = new ProgressBar("check", showProgress);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) };
        Parallel.For(0, files.Count, options, i =>
        {
            outcomes[i] = CheckOne(files[i], profile, fraction =>
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

    private static CheckOutcome CheckOne(string path, CheckProfile profile, Action<double> progress)
    {
        try
        {
            return new CheckOutcome(path, FileChecker.Check(path, profile, progress), null, ExitCodes.Ok);
        }
        catch (CliException e)
        {
            return new CheckOutcome(path, null, e.Message, e.ExitCode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CheckOutcome(path, null, CliException.ForFile(path, $"cannot read: {e.Message}").Message, ExitCodes.BadInput);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new CheckOutcome(path, null, $"{path}: internal error: {e.Message}", ExitCodes.InternalError);
        }
    }
}

/// <summary>One file's result: its report, or the one-line error that stopped it.</summary>
internal sealed record CheckOutcome(string Path, CheckReport? Report, string? Error, int ExitCode);
