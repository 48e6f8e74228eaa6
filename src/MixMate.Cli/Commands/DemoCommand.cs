using System.Globalization;
using MixMate.Assistant.Mastering;
using MixMate.Cli.Analysis;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Demo;
using MixMate.Cli.Output;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Text;

namespace MixMate.Cli.Commands;

/// <summary>
/// <c>mixmate demo [--out DIR] [--force] [--render-only]</c>: renders the built-in demo song's stems
/// (cached), balances and unmasks them with the mix assistant (as <c>mixmate mix</c> does) into
/// <c>mix.wav</c>, masters it, writes the mix + master page (<c>report.html</c>) and prints what it
/// did to each stem and why, and loudness before and after.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultOutput = "demo-output";

    /// <summary>File name of the mastered mix in the output folder.</summary>
    public const string MasteredFileName = "master.wav";

    /// <summary>File name of the HTML report (the mix and master page) in the output folder.</summary>
    public const string ReportFileName = "report.html";

    private const string Help = """
        mixmate demo [--out DIR] [--force] [--render-only]

        Renders MixMate's own demo song (drums, bass, keys, lead; FluidSynth with the FluidR3 GM
        soundfont) into stems, balances them by role and cuts competing bands (as 'mixmate mix'
        does) into DIR/mix.wav (24-bit, peak <= -3 dBFS), masters the mix into DIR/master.wav
        (Spotify target, -14 LUFS / -1 dBTP, tonal-balance EQ applied), writes the HTML report of
        both steps into DIR/report.html (as 'mixmate mix --master --html' does) and prints what it
        did to each stem and why, and loudness before and after.

          --out DIR       output folder (default ./demo-output; created if missing)
          --force         overwrite existing output files; with --render-only, render again
          --render-only   only render the stems into the cache and exit (used by setup)

        Stems are cached in $MIXMATE_DEMO_DIR, else $XDG_CACHE_HOME/mixmate/demo, else
        ~/.cache/mixmate/demo, and rendered again only when the song changes.
        """;

    /// <summary>[main thread] Runs the command, printing to the console; returns the exit code.</summary>
    /// <exception cref="CliException">Bad arguments, existing outputs without --force, or a missing
    /// FluidSynth/soundfont.</exception>
    public static int Run(IReadOnlyList<string> args) => Run(args, Console.Out);

    /// <summary>[main thread] Runs the command, printing results to <paramref name="stdout"/>
    /// (progress goes to the terminal's stderr only).</summary>
    /// <exception cref="CliException">As <see cref="Run(IReadOnlyList{string})"/>.</exception>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        var reader = new ArgReader("demo", args);
        if (reader.Flag("-h", "--help"))
        {
            stdout.WriteLine(Help);
            return ExitCodes.Ok;
        }

        string output = reader.Option("--out", "-o") ?? DefaultOutput;
        bool force = reader.Flag("--force", "-f");
        bool renderOnly = reader.Flag("--render-only");
        if (reader.Positionals() is { Count: > 0 } extra)
        {
            throw new CliException($"demo: unexpected argument '{extra[0]}' (see 'mixmate demo --help')");
        }

        if (renderOnly)
        {
            DemoRender cached = Render(force);
            stdout.WriteLine($"demo: {cached.Stems.Count} stems and their mix are in {cached.Folder}");
            return ExitCodes.Ok;
        }

        string folder = Path.GetFullPath(output);
        if (File.Exists(folder))
        {
            throw CliException.ForFile(output, "is a file; --out needs a folder");
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.ForFile(output, $"cannot create the output folder: {e.Message}");
        }

        string mixPath = Path.Combine(folder, StemMixer.MixFileName);
        string masteredPath = Path.Combine(folder, MasteredFileName);
        AtomicFile.CheckDestination(mixPath, [], force);
        AtomicFile.CheckDestination(masteredPath, [mixPath], force);
        string reportPath = Path.Combine(folder, ReportFileName);
        AtomicFile.CheckDestination(reportPath, [mixPath, masteredPath], force);

        DemoRender render = Render(force: false);
        MixCommand.MixOutcome balanced = MixCommand.Mix(
            [.. render.Stems.Select(s => s.Path)], mixPath, new MixCommand.MixSettings(1.0, null), modelsDirectory: null, showProgress: null);
        foreach (string note in balanced.Report.Notes)
        {
            Console.Error.WriteLine($"mixmate: demo: {note}");
        }

        // The stems measured in parallel (rows keep their order); the mix and the master are measured
        // by the mastering run itself, as the files were written.
        var stems = new LoudnessAnalysis[render.Stems.Count];
        Parallel.For(0, stems.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            stems[i] = FileAnalyzer.Analyze(render.Stems[i].Path));

        MasterCommand.MasterOutcome mastered = MasterMix(mixPath, masteredPath);
        foreach (string warning in mastered.Result.Warnings)
        {
            Console.Error.WriteLine($"mixmate: warning: {masteredPath}: {warning}");
        }

        // The page shows the mix report as 'mix --master' would write it: the master attached and the
        // delivered file as the output.
        MixReport combined = balanced.Report with { Master = mastered.Report, Output = mastered.Report.Output };
        Html.MixHtmlReport.Build(combined, mastered, masteredPath).Save(reportPath);

        var rows = new List<(string Label, LoudnessAnalysis Analysis)>();
        for (int i = 0; i < stems.Length; i++)
        {
            rows.Add(($"stem {render.Stems[i].Name}", stems[i]));
        }

        rows.Add(("mix (before)", mastered.Report.Input));
        rows.Add(("master", mastered.Report.Output));
        PrintTable(stdout, rows);

        stdout.WriteLine();
        for (int i = 0; i < render.Stems.Count; i++)
        {
            MixReportTrack track = balanced.Report.Tracks[i];
            string role = track.Role is null ? "role unknown" : string.Create(CultureInfo.InvariantCulture, $"heard as {track.Role} {track.RoleConfidence * 100:0}%");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{render.Stems[i].Name,-6}  {role}; gain {Signed.One(track.BalanceDb)} dB, {track.Eq.Count} cut(s)"));
            foreach (string reason in track.Reasons)
            {
                stdout.WriteLine($"        {reason}");
            }
        }

        MasterReport report = mastered.Report;
        stdout.WriteLine();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target  {report.Target.Preset} ({report.Target.Lufs:0.#} LUFS, {report.Target.TruePeakDbtp:0.#} dBTP); gain {Signed.One(report.GainDb)} dB, limiter up to {report.Limiter.MaxGainReductionDb:0.0} dB"));
        foreach (MasterReportEqMove move in report.Eq)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"eq      {FilterNames.Json(move.Type)} {move.FrequencyHz:0.#} Hz {Signed.One(move.AppliedGainDb)} dB: {move.Reason}"));
        }

        stdout.WriteLine($"stems   {render.Folder}");
        stdout.WriteLine($"mix     {mixPath}");
        stdout.WriteLine($"master  {masteredPath}");
        stdout.WriteLine($"report  {reportPath}");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The demo's mastering step: <paramref name="mixPath"/> (24-bit, peak ≤ −3 dBFS) mastered into
    /// <paramref name="masteredPath"/> (already checked as writable) by the same chain as
    /// <c>mixmate master</c>, to the default streaming target, with the tonal-balance moves applied:
    /// the demo mix is deliberately a little boomy, and hearing that fixed is the point of the demo.
    /// </summary>
    private static MasterCommand.MasterOutcome MasterMix(string mixPath, string masteredPath)
    {
        var settings = new MasterSettings(MasterCommand.ResolveTarget(null, null, null), EqMode.Apply);
        return MasterCommand.Master(mixPath, masteredPath, settings, "24", progressLabel: "mastering demo", collectPlots: true);
    }

    private static DemoRender Render(bool force)
    {
        using var bar = new ProgressBar("rendering demo stems");
        return StemRenderer.EnsureRendered(DemoSong.Compose(), StemRenderer.DefaultFolder(), force, bar.Report);
    }

    private static void PrintTable(TextWriter stdout, List<(string Label, LoudnessAnalysis Analysis)> rows)
    {
        stdout.WriteLine($"{"",-14} {"I LUFS",8} {"LRA LU",8} {"TP dBTP",8}");
        foreach ((string label, LoudnessAnalysis a) in rows)
        {
            stdout.WriteLine($"{label,-14} {Format(a.IntegratedLufs),8} {Format(a.LoudnessRangeLu),8} {Format(a.TruePeakDbtp),8}");
        }
    }

    private static string Format(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
