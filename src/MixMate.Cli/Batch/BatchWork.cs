using System.Text.Json;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Assistant.Problems;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;
using MixMate.Cli.Output;

namespace MixMate.Cli.Batch;

/// <summary>
/// One input of a batch, processed by the same code as the single-file command (<c>master</c>,
/// <c>analyze</c>, <c>check</c>) on the calling thread only, and its <c>results.jsonl</c> line.
/// Its outputs appear together or not at all; a problem with the input becomes a failed line,
/// never an exception.
/// </summary>
/// <remarks>[any-thread] one input per call; calls for different inputs may run at once.</remarks>
internal static class BatchWork
{
    /// <summary>Processes <paramref name="item"/> into <paramref name="outDir"/>.</summary>
    /// <returns>Its line; whether a failure was internal (exit 1) rather than the input's; whether
    /// nothing was touched because an output is in the way (exists without --force, is an input).</returns>
    public static (BatchResult Result, bool Internal, bool Untouched) Run(BatchVerb verb, BatchItem item, string outDir, bool force)
    {
        string command = Name(verb);
        string? sha = item.Hash is byte[] h ? ContentHash.Hex(h) : null;
        var failed = new BatchResult(item.Input, sha, command, BatchResult.Failed, item.Output, item.Report, item.Options);
        if (item.Problem is string problem)
        {
            return (failed with { Error = CliException.ForFile(item.Input, problem).Message }, false, false);
        }

        try
        {
            string output = Path.Combine(outDir, item.Output);
            AtomicFile.CheckDestination(output, [item.Input], force);
            if (item.Report is string report)
            {
                AtomicFile.CheckDestination(Path.Combine(outDir, report), [item.Input, output], force);
            }
        }
        catch (CliException e)
        {
            return (failed with { Error = e.Message }, false, true);
        }

        try
        {
            BatchResult done = verb switch
            {
                BatchVerb.Master => Master(item, outDir),
                BatchVerb.Analyze => Analyze(item, outDir),
                _ => Check(item, outDir),
            };
            return (done with { Sha256 = sha }, false, false);
        }
        catch (CliException e)
        {
            return (failed with { Error = e.Message }, e.ExitCode == ExitCodes.InternalError, false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (failed with { Error = CliException.ForFile(item.Input, $"cannot read: {e.Message}").Message }, false, false);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            return (failed with { Error = $"{item.Input}: internal error: {e.Message}" }, true, false);
        }
    }

    /// <summary>master, analyze or check.</summary>
    public static string Name(BatchVerb verb) => verb.ToString().ToLowerInvariant();

    private static BatchResult Master(BatchItem item, string outDir)
    {
        BatchOptions o = item.Options;
        string output = Path.Combine(outDir, item.Output);
        string report = Path.Combine(outDir, item.Report!);
        LoudnessTarget target = LoudnessTarget.FindPreset(o.Target!) is LoudnessTarget preset
            ? preset with { TruePeakDbtp = o.Tp!.Value }
            : LoudnessTarget.Custom(o.Lufs!.Value, o.Tp!.Value);
        var settings = new MasterSettings(target, MasterCommand.ParseEq(o.Eq!), o.Amount!.Value / 100, o.Compressor == true);
        FileFormat container = FileFormats.Resolve("batch", output, o.Format);

        MasterCommand.MasterOutcome outcome;
        MasterReport written;
        using (AtomicFile.Batch files = AtomicFile.BeginBatch())
        {
            outcome = MasterCommand.Master(item.Input, output, settings, o.BitDepth!, progressLabel: null, container: container,
                sampleRate: o.SampleRate, concurrent: false);

            // The report names the master as DIR's listing does, so it reads the same in any DIR.
            written = outcome.Report with { Output = outcome.Report.Output with { Path = item.Output } };
            AtomicFile.WriteText(report, JsonSerializer.Serialize(written, MasterReportJsonContext.Default.MasterReport) + "\n");
            files.Commit();
        }

        BatchFigures delivered = Figures(written.Output);
        return new BatchResult(item.Input, null, "master", BatchResult.Ok, item.Output, item.Report, o)
        {
            Loudness = delivered,
            InputLoudness = Figures(written.Input),
            GainDb = written.GainDb,
            LimiterMaxDb = written.Limiter.MaxGainReductionDb,
            Playback = Playback(delivered),
            Problems = [.. written.InputProblems.Select(p => new BatchProblem(p.Kind, p.Severity, "input", p.When, p.Message)),
                .. written.OutputProblems.Select(p => new BatchProblem(p.Kind, p.Severity, "master", p.When, p.Message))],
            Warnings = written.Warnings,
        };
    }

    private static BatchResult Analyze(BatchItem item, string outDir)
    {
        string output = Path.Combine(outDir, item.Output);
        LoudnessAnalysis analysis = FileAnalyzer.Analyze(item.Input);
        AtomicFile.WriteText(output, AnalyzeCommand.ToJson([analysis]) + "\n");
        BatchFigures figures = Figures(analysis.Rounded());
        return new BatchResult(item.Input, null, "analyze", BatchResult.Ok, item.Output, null, item.Options)
        {
            Loudness = figures,
            Playback = Playback(figures),
        };
    }

    private static BatchResult Check(BatchItem item, string outDir)
    {
        string output = Path.Combine(outDir, item.Output);
        CheckProfile profile = CheckProfile.Find(item.Options.Profile!)!;
        CheckReport report = FileChecker.Check(item.Input, profile);
        AtomicFile.WriteText(output, CheckJson.Write([new CheckOutcome(item.Input, report, null, ExitCodes.Ok)], profile) + "\n");
        var figures = new BatchFigures(Level(report.IntegratedLufs), Level(report.LoudnessRangeLu), Level(report.TruePeakDbtp),
            Level(report.SamplePeakDbfs), Math.Round(report.DurationSeconds, LoudnessAnalysis.DurationDecimals), null, null);
        return new BatchResult(item.Input, null, "check", BatchResult.Ok, item.Output, null, item.Options)
        {
            Loudness = figures,
            Playback = Playback(figures),
            Problems = [.. report.Problems.Select(p => new BatchProblem(p.Kind.Name(), Severity(p.Severity), null, CheckCommand.When(p), p.Message))],
        };
    }

    private static BatchFigures Figures(LoudnessAnalysis a) =>
        new(a.IntegratedLufs, a.LoudnessRangeLu, a.TruePeakDbtp, a.SamplePeakDbfs, a.DurationSeconds, a.SampleRate, a.Channels);

    /// <summary>What every platform does on playback, rounded as the HTML reports round it.</summary>
    private static Dictionary<string, double>? Playback(BatchFigures f)
    {
        if (f.IntegratedLufs is not double integrated)
        {
            return null;
        }

        var gains = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (LoudnessTarget preset in LoudnessTarget.Presets)
        {
            gains[preset.Preset] = Math.Round(preset.PlaybackGainDb(integrated, f.TruePeakDbtp ?? double.NegativeInfinity), 1, MidpointRounding.AwayFromZero) + 0.0;
        }

        return gains;
    }

    private static double? Level(double value) =>
        double.IsFinite(value) ? Math.Round(value, LoudnessAnalysis.LevelDecimals, MidpointRounding.AwayFromZero) + 0.0 : null;

    private static string Severity(ProblemSeverity s) => s switch
    {
        ProblemSeverity.Error => "error",
        ProblemSeverity.Warning => "warning",
        _ => "info",
    };
}
