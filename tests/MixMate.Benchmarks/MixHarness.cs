using System.Globalization;
using System.Text;
using System.Text.Json;
using MixMate.TestSupport;

namespace MixMate.Benchmarks;

/// <summary>
/// Issue 6, item 7: <c>mixmate mix</c> on 16 stems of 4 minutes (<see cref="MixMaterial"/>) side by
/// side with plain summing by ffmpeg's <c>amix</c> (<c>normalize=0</c>: unity gain, no balancing,
/// no analysis) on the same files. Both write 24-bit WAV at 48 kHz. Runs are interleaved
/// (start-up of each tool, then mixmate, then ffmpeg), medians of <c>--runs</c>; wall and CPU time
/// of the whole process, CPU including every thread. Levels of both outputs by libebur128.
/// Usage: mixmate-benchmarks mix [--cli path/to/mixmate.dll] [--runs N] [--out file.md]
/// </summary>
internal static class MixHarness
{
    /// <summary>Goal from the issue: the whole command within this share of the stems' duration.</summary>
    private const double GoalShare = 0.05;

    public static int Run(IReadOnlyList<string> args)
    {
        string? cli = ExternalHarness.Option(args, "--cli") ?? Environment.GetEnvironmentVariable("MIXMATE_CLI_DLL");
        cli ??= Path.Combine(BenchPaths.RepoRoot, "artifacts", "bin", "MixMate.Cli", "release", "mixmate.dll");
        int runs = int.Parse(ExternalHarness.Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        string output = ExternalHarness.Option(args, "--out") ?? Path.Combine(BenchPaths.BenchFolder, "mix.md");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"mix: no CLI at {cli}; build src/MixMate.Cli or pass --cli");
            return 2;
        }

        UseRepositoryModels();
        IReadOnlyList<string> stems = MixMaterial.Stems();
        double seconds = MixMaterial.StemSeconds(stems);
        string work = Path.Combine(BenchPaths.BenchFolder, "mix");
        Directory.CreateDirectory(work);
        string ours = Path.Combine(work, "mix-mixmate.wav");
        string theirs = Path.Combine(work, "mix-amix.wav");
        string report = Path.Combine(work, "mix-mixmate.json");

        string[] mixmateArgs = [cli, "mix", .. stems, "-o", ours, "--report", report, "--force", "--quiet"];
        var amixArgs = new List<string> { "-hide_banner", "-nostats", "-y" };
        foreach (string stem in stems)
        {
            amixArgs.Add("-i");
            amixArgs.Add(stem);
        }

        amixArgs.AddRange(["-filter_complex", string.Create(CultureInfo.InvariantCulture, $"amix=inputs={stems.Count}:normalize=0"), "-c:a", "pcm_s24le", theirs]);

        var dotnetStart = new Timings();
        var ffmpegStart = new Timings();
        var mixmate = new Timings();
        var amix = new Timings();
        for (int r = 0; r < runs; r++)
        {
            dotnetStart.Add(TimedProcess.Run("dotnet", [cli, "--help"]));
            ffmpegStart.Add(TimedProcess.Run("ffmpeg", ["-hide_banner", "-version"]));
            mixmate.Add(TimedProcess.Run("dotnet", mixmateArgs));
            amix.Add(TimedProcess.Run("ffmpeg", amixArgs));
        }

        ReferenceLoudness a = Ebur128Reference.Measure(ours);
        ReferenceLoudness b = Ebur128Reference.Measure(theirs);
        var md = new StringBuilder();
        md.AppendLine(Invariant($"Input: {stems.Count} stereo stems, 48 kHz, 24-bit WAV, {seconds:0} s each (MixMate's demo score split and re-orchestrated for 16 General MIDI parts, rendered by FluidSynth, looped by sox). Goal: `mixmate mix` within {GoalShare * 100:0} % of the stems' duration ({GoalShare * seconds:0} s) in wall time. {runs} interleaved runs, medians; CPU time counts every thread of the process; {Environment.ProcessorCount} cores."));
        md.AppendLine();
        md.AppendLine("| | wall time | share of the stems' duration | CPU time | process start-up (wall / CPU) | integrated (libebur128) | true peak | sample peak |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        md.AppendLine(Invariant($"| `mixmate mix` (16 stems, roles, balance, masking cuts, 24-bit write, report) | {mixmate.Wall:0.00} s | {mixmate.Wall / seconds * 100:0.0} % | {mixmate.Cpu:0.00} s | {dotnetStart.Wall:0.00} s / {dotnetStart.Cpu:0.00} s | {a.IntegratedLufs:0.00} LUFS | {a.TruePeakDbtp:0.00} dBTP | {a.SamplePeakDbfs:0.00} dBFS |"));
        md.AppendLine(Invariant($"| ffmpeg `amix=inputs={stems.Count}:normalize=0`, `pcm_s24le` (plain sum) | {amix.Wall:0.00} s | {amix.Wall / seconds * 100:0.0} % | {amix.Cpu:0.00} s | {ffmpegStart.Wall:0.00} s / {ffmpegStart.Cpu:0.00} s | {b.IntegratedLufs:0.00} LUFS | {b.TruePeakDbtp:0.00} dBTP | {b.SamplePeakDbfs:0.00} dBFS |"));
        md.AppendLine();
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllText(report)))
        {
            foreach (JsonElement note in json.RootElement.GetProperty("notes").EnumerateArray())
            {
                md.AppendLine(Invariant($"**Note from the run:** {note.GetString()}"));
                md.AppendLine();
            }
        }

        string verdict = mixmate.Wall <= GoalShare * seconds ? "meets" : "misses";
        md.AppendLine(Invariant($"`mixmate mix` takes **{mixmate.Wall / seconds * 100:0.0} % of the stems' duration** ({verdict} the {GoalShare * 100:0} % goal); against the plain sum it costs **{mixmate.Wall / amix.Wall:0.0}× the wall time and {mixmate.Cpu / amix.Cpu:0.0}× the CPU time** of `amix`, which reads and sums but analyses nothing (no gain staging: its sum peaks at {b.SamplePeakDbfs:0.0} dBFS). Command: `dotnet mixmate.dll mix STEM×{stems.Count} -o OUT --report OUT.json --force --quiet`; `ffmpeg -i STEM ×{stems.Count} -filter_complex amix=inputs={stems.Count}:normalize=0 -c:a pcm_s24le OUT`."));
        md.AppendLine();

        string text = md.ToString();
        Console.WriteLine(text);
        File.WriteAllText(output, text);
        Console.WriteLine($"written {output}");
        return 0;
    }

    /// <summary>[main thread] Lets this process and its children find the repository's models
    /// wherever the harness is started from (unless the variable is already set); ONNX Runtime comes
    /// with the NuGet package.</summary>
    internal static void UseRepositoryModels()
    {
        UseRepositoryDefault("MIXMATE_MODELS_DIR", Path.Combine(BenchPaths.RepoRoot, "models"));
    }

    private static void UseRepositoryDefault(string variable, string path)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)) && Path.Exists(path))
        {
            Environment.SetEnvironmentVariable(variable, path);
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
