using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MixMate.Assistant.Balance;
using MixMate.Assistant.Models;
using MixMate.Assistant.Roles;
using MixMate.Dsp;

namespace MixMate.MixEval;

/// <summary>
/// Balance evaluation. For every song: render each stem with FluidSynth (cached by MIDI hash), set
/// it to its intended level (the truth), then for each fixed seed scramble the stem gains uniformly
/// within ±10 dB, analyse the scrambled audio exactly as <c>mixmate mix</c> does and let the balance
/// engine propose gains. Scores: RMS in dB between the recovered and the intended relative levels
/// (common offset removed), against the baseline of setting every stem to the same integrated
/// loudness. <c>--tune</c> also fits the role table on the training songs; <c>--cv</c> scores that
/// fit leave-one-song-out on the training songs (how variants are chosen without the test songs).
/// </summary>
internal static class Program
{
    private const int SampleRate = 48000;
    private const double ReferenceLufs = -20;
    private const string SoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

    private static int Main(string[] args)
    {
        string cache = Option(args, "--cache") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mixmate", "mixeval");
        string? output = Option(args, "--out");
        int scrambles = int.Parse(Option(args, "--scrambles") ?? "4", CultureInfo.InvariantCulture);
        string? only = Option(args, "--songs");
        bool tune = args.Contains("--tune");
        Directory.CreateDirectory(cache);

        IReadOnlyList<SongSpec> songs = only is null ? Songs.All : [.. Songs.All.Where(s => only.Split(',').Contains(s.Name))];
        using SuggestionEngine engine = SuggestionEngine.Create();
        if (engine.RoleModelProblem is not null)
        {
            Console.Error.WriteLine($"mixeval: role model unavailable: {engine.RoleModelProblem}");
        }

        var results = new List<SongResult>();
        foreach (SongSpec song in songs)
        {
            results.Add(Evaluate(song, cache, scrambles, engine));
            SongResult r = results[^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{song.Name,-15} {(song.Training ? "train" : "test "),-5} assistant {r.AssistantDb,5:0.00} dB  equal-integrated {r.BaselineDb,5:0.00} dB  equal-active {r.ActiveBaselineDb,5:0.00} dB  roles {string.Join(' ', r.Roles)}"));
        }

        List<SongResult> training = [.. results.Where(r => r.Song.Training)];
        if (tune && training.Count > 0)
        {
            PrintFittedTable(training);
        }

        if (args.Contains("--cv") && training.Count > 1)
        {
            PrintCrossValidation(training);
        }

        if (output is not null)
        {
            File.WriteAllText(output, Markdown(results, scrambles, engine.RoleModelProblem));
            Console.WriteLine($"wrote {output}");
        }

        return 0;
    }

    private sealed record SongResult(SongSpec Song, double AssistantDb, double BaselineDb, double ActiveBaselineDb, string[] Roles, TrackSummary[] Intended, Scrambled[] Trials);

    /// <summary>One scramble of a song: the gains applied and the analysis of the scrambled stems.</summary>
    private sealed record Scrambled(double[] ScrambleDb, TrackSummary[] Summaries);

    private static SongResult Evaluate(SongSpec song, string cache, int scrambles, SuggestionEngine engine)
    {
        float[][] stems = [.. song.Stems.Select(stem => Render(song, stem, cache))];

        // The truth: every stem at its intended active loudness.
        for (int i = 0; i < stems.Length; i++)
        {
            ActiveLoudness measured = ActiveLoudnessMeasure.Measure(Block(stems[i]), SampleRate);
            Scale(stems[i], Decibels.ToGain(ReferenceLufs + song.Stems[i].LevelLu - measured.Lufs));
        }

        TrackSummary[] intended = [.. stems.Select((s, i) => TrackAnalyzer.Analyze(song.Stems[i].Name, Block(s), SampleRate, engine))];
        var assistant = new List<double>();
        var baseline = new List<double>();
        var activeBaseline = new List<double>();
        var trials = new List<Scrambled>();
        int songIndex = Songs.All.ToList().IndexOf(song);
        for (int k = 0; k < scrambles; k++)
        {
            double[] scramble = BalanceEvaluation.Scramble(stems.Length, seed: (1000 * songIndex) + k);
            var summaries = new TrackSummary[stems.Length];
            for (int i = 0; i < stems.Length; i++)
            {
                float[] copy = (float[])stems[i].Clone();
                Scale(copy, Decibels.ToGain(scramble[i]));
                summaries[i] = TrackAnalyzer.Analyze(song.Stems[i].Name, Block(copy), SampleRate, engine);
            }

            trials.Add(new Scrambled(scramble, summaries));
            double[] gains = [.. BalanceEngine.Propose(summaries).Select(m => m.GainDb)];
            assistant.Add(BalanceEvaluation.RmsErrorDb(gains, scramble));
            baseline.Add(BalanceEvaluation.RmsErrorDb(BalanceEvaluation.EqualLoudnessGains([.. summaries.Select(s => s.Loudness.IntegratedLufs)]), scramble));
            activeBaseline.Add(BalanceEvaluation.RmsErrorDb(BalanceEvaluation.EqualLoudnessGains([.. summaries.Select(s => s.Loudness.Lufs)]), scramble));
        }

        string[] roles = [.. intended.Select(s => $"{s.Name}={s.Role.Role ?? "?"}")];
        return new SongResult(song, Rms(assistant), Rms(baseline), Rms(activeBaseline), roles, intended, [.. trials]);
    }

    /// <summary>Fits the role table on the training songs and prints it (LU relative to the kick).</summary>
    private static void PrintFittedTable(List<SongResult> training)
    {
        RoleBalanceTable fitted = Fit(training);
        double kick = fitted.TargetOf("kick");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fitted role table on {training.Count} training songs (LU relative to the kick, rounded to 0.5; pull {Pull} toward common practice):"));
        foreach (string role in TrackRoles.All)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {role,-14} {fitted.TargetOf(role) - kick,5:+0.0;-0.0} (shipped {RoleBalanceTable.Default.TargetOf(role) - RoleBalanceTable.Default.TargetOf("kick"):+0.0;-0.0}, practice {RoleBalanceTable.CommonPractice.TargetOf(role):+0.0;-0.0})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  training songs with the fitted table: {Score(training, fitted):0.00} dB RMS"));
    }

    /// <summary>
    /// Leave-one-song-out over the training songs: the table is fitted on the others and scored on
    /// the song left out, so variants (role model, table prior) are chosen without the test songs.
    /// Returns the error per training song.
    /// </summary>
    private static double[] CrossValidate(List<SongResult> training, double pull = Pull) =>
        [.. training.Select(held => Score([held], Fit([.. training.Where(r => r != held)], pull)))];

    private static void PrintCrossValidation(List<SongResult> training)
    {
        double[] errors = CrossValidate(training);
        for (int i = 0; i < training.Count; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cv {training[i].Song.Name,-15} {errors[i]:0.00} dB (equal integrated {training[i].BaselineDb:0.00} dB)"));
        }

        foreach (double pull in new[] { 0.1, 0.25, 0.5, 1, 2, 4 })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  pull {pull,4}: leave-one-song-out {Rms(CrossValidate(training, pull)):0.000} dB"));
        }

        double a = Rms(errors);
        double b = Rms(training.Select(r => r.BaselineDb));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"leave-one-song-out on {training.Count} training songs: assistant {a:0.00} dB RMS; shipped table {Score(training, RoleBalanceTable.Default):0.00} dB; practice table {Score(training, RoleBalanceTable.CommonPractice):0.00} dB; equal integrated {b:0.00} dB ({(1 - (a / b)) * 100:0}% better)"));
    }

    /// <summary>RMS over songs of each song's RMS over its scrambles, with <paramref name="table"/>.</summary>
    private static double Score(IEnumerable<SongResult> songs, RoleBalanceTable table) =>
        Rms(songs.Select(r => Rms(r.Trials.Select(t =>
            BalanceEvaluation.RmsErrorDb([.. BalanceEngine.Propose(t.Summaries, table).Select(m => m.GainDb)], t.ScrambleDb)))));

    /// <summary>Weight of the pull toward common practice in the fit (chosen leave-one-song-out on the training songs).</summary>
    private const double Pull = 0.1;

    /// <summary>Least squares of Σp·T − share − offset(song) against the intended levels, pulled
    /// toward <see cref="RoleBalanceTable.CommonPractice"/>; rounded to 0.5 LU, kick at 0.</summary>
    private static RoleBalanceTable Fit(List<SongResult> training, double pull = Pull)
    {
        IReadOnlyList<string> roles = TrackRoles.All;
        int r = roles.Count;
        int unknowns = r + training.Count;
        var ata = new double[unknowns, unknowns];
        var atb = new double[unknowns];
        for (int s = 0; s < training.Count; s++)
        {
            TrackSummary[] tracks = training[s].Intended;
            for (int i = 0; i < tracks.Length; i++)
            {
                var row = new double[unknowns];
                IReadOnlyDictionary<string, double> p = tracks[i].Role.Probabilities;
                double total = p.Values.Sum();
                for (int k = 0; k < r; k++)
                {
                    row[k] = total > 0 ? p.GetValueOrDefault(roles[k]) / total : 0;
                }

                row[r + s] = -1;
                int sharing = tracks.Count(t => t.Role.Role == tracks[i].Role.Role);
                double y = training[s].Song.Stems[i].LevelLu + (10 * Math.Log10(sharing));
                Accumulate(ata, atb, row, y, 1);
            }
        }

        for (int k = 0; k < r; k++)
        {
            var row = new double[unknowns];
            row[k] = 1;
            Accumulate(ata, atb, row, RoleBalanceTable.CommonPractice.TargetOf(roles[k]), pull);
        }

        // The offsets are free; pin the first song's so the system is not singular.
        var pin = new double[unknowns];
        pin[r] = 1;
        Accumulate(ata, atb, pin, 0, 1);
        double[] x = Solve(ata, atb);
        var targets = new Dictionary<string, double>();
        for (int k = 0; k < r; k++)
        {
            double lu = Math.Round((x[k] - x[0]) * 2) / 2;
            targets[roles[k]] = lu == 0 ? 0 : lu; // no negative zero in the printed table
        }

        return new RoleBalanceTable(targets, RoleBalanceTable.CommonPractice.UnknownLu);
    }

    private static void Accumulate(double[,] ata, double[] atb, double[] row, double y, double weight)
    {
        for (int a = 0; a < row.Length; a++)
        {
            if (row[a] == 0)
            {
                continue;
            }

            atb[a] += weight * row[a] * y;
            for (int b = 0; b < row.Length; b++)
            {
                ata[a, b] += weight * row[a] * row[b];
            }
        }
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int row = c + 1; row < n; row++)
            {
                if (Math.Abs(m[row, c]) > Math.Abs(m[pivot, c]))
                {
                    pivot = row;
                }
            }

            for (int k = 0; k < n; k++)
            {
                (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
            }

            (x[c], x[pivot]) = (x[pivot], x[c]);
            for (int row = 0; row < n; row++)
            {
                if (row == c || m[c, c] == 0)
                {
                    continue;
                }

                double f = m[row, c] / m[c, c];
                for (int k = 0; k < n; k++)
                {
                    m[row, k] -= f * m[c, k];
                }

                x[row] -= f * x[c];
            }
        }

        for (int c = 0; c < n; c++)
        {
            x[c] = m[c, c] != 0 ? x[c] / m[c, c] : 0;
        }

        return x;
    }

    private static string Markdown(List<SongResult> results, int scrambles, string? roleProblem)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Mix assistant: balance evaluation");
        sb.AppendLine();
        sb.AppendLine("Generated by `models/mixeval/evaluate.sh` — do not edit by hand.");
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} short songs composed for MixMate (`models/mixeval/Songs.cs`; {results.Count(r => r.Song.Training)} training songs on which the role table is tuned, {results.Count(r => !r.Song.Training)} held-out test songs), rendered per stem with FluidSynth and the FluidR3 GM soundfont at 48 kHz. Each stem is set to the level its arrangement intends (the truth), then for each of {scrambles} fixed seeds every stem gain is scrambled uniformly within ±10 dB, the scrambled audio is analysed exactly as `mixmate mix` analyses it (role model, active loudness, spectrum) and the balance engine proposes gains. Score: RMS (dB) of recovered minus intended relative level, common offset removed, averaged (RMS) over the seeds."));
        sb.AppendLine();
        sb.AppendLine("Baselines: **equal integrated** sets every stem to the same BS.1770 integrated loudness (what a loudness normaliser would do); **equal active** sets every stem to the same active loudness (the engine's measurement without the role table).");
        if (roleProblem is not null)
        {
            sb.AppendLine();
            sb.AppendLine($"**Warning:** the role model was unavailable ({roleProblem}); every stem got the unknown-role target.");
        }

        sb.AppendLine();
        sb.AppendLine("| song | split | stems | assistant dB | equal integrated dB | equal active dB | roles detected |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (SongResult r in results)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Song.Name} | {(r.Song.Training ? "train" : "test")} | {r.Song.Stems.Count} | {r.AssistantDb:0.00} | {r.BaselineDb:0.00} | {r.ActiveBaselineDb:0.00} | {string.Join(", ", r.Roles)} |"));
        }

        sb.AppendLine();
        foreach ((string label, bool training) in new[] { ("Training songs (table tuned here)", true), ("Test songs (held out)", false) })
        {
            List<SongResult> group = [.. results.Where(r => r.Song.Training == training)];
            if (group.Count == 0)
            {
                continue;
            }

            double a = Rms(group.Select(r => r.AssistantDb));
            double b = Rms(group.Select(r => r.BaselineDb));
            double c = Rms(group.Select(r => r.ActiveBaselineDb));
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"**{label}:** assistant {a:0.00} dB RMS; equal integrated {b:0.00} dB ({(1 - (a / b)) * 100:0}% better); equal active {c:0.00} dB ({(1 - (a / c)) * 100:0}% better)."));
            sb.AppendLine();
        }

        List<SongResult> trainingSongs = [.. results.Where(r => r.Song.Training)];
        if (trainingSongs.Count > 1)
        {
            double cv = Rms(CrossValidate(trainingSongs));
            double b = Rms(trainingSongs.Select(r => r.BaselineDb));
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"**Training songs, leave one song out** (the table refitted on the other {trainingSongs.Count - 1} training songs and scored on the one left out; how variants were chosen): assistant {cv:0.00} dB RMS; equal integrated {b:0.00} dB ({(1 - (cv / b)) * 100:0}% better)."));
            sb.AppendLine();
        }

        sb.AppendLine("Goal: at most 3 dB RMS and at least 30 % better than the equal-loudness baseline on the test songs.");
        sb.AppendLine();
        sb.AppendLine("Limits: the truth is the arranger's intended balance for these songs, written down in `Songs.cs` from common mixing practice (lead voice on top; kick, bass and snare close behind; beds and cymbals lower) and varied per style; it is not a panel of engineers. No sung vocal is among the stems (GM has none worth calling a vocal).");
        return sb.ToString();
    }

    private static float[] Render(SongSpec song, StemSpec stem, string cache)
    {
        byte[] midi = Songs.Write(song, stem);
        string hash = Convert.ToHexStringLower(SHA256.HashData(midi))[..12];
        string raw = Path.Combine(cache, $"{song.Name}-{stem.Name}-{hash}.f32");
        if (!File.Exists(raw))
        {
            string mid = Path.Combine(cache, $"{song.Name}-{stem.Name}-{hash}.mid");
            File.WriteAllBytes(mid, midi);
            string temporary = raw + ".tmp";
            var start = new ProcessStartInfo("fluidsynth") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-ni", "-q", "-g", "0.5", "-r", "48000", "-R", "1", "-C", "0", "-T", "raw", "-O", "float", "-F", temporary, SoundFont, mid })
            {
                start.ArgumentList.Add(a);
            }

            using Process process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(temporary))
            {
                throw new InvalidOperationException($"fluidsynth failed on {song.Name}/{stem.Name}");
            }

            File.Move(temporary, raw, overwrite: true);
        }

        // Interleaved stereo float → planar.
        ReadOnlySpan<float> interleaved = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(raw));
        int frames = interleaved.Length / 2;
        var planar = new float[2 * frames];
        for (int i = 0; i < frames; i++)
        {
            planar[i] = interleaved[2 * i];
            planar[frames + i] = interleaved[(2 * i) + 1];
        }

        return planar;
    }

    private static AudioBlock Block(float[] planar) => new(planar, 2, planar.Length / 2, planar.Length / 2);

    private static void Scale(float[] samples, double gain)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(samples[i] * gain);
        }
    }

    private static double Rms(IEnumerable<double> values)
    {
        double[] v = [.. values];
        return v.Length == 0 ? 0 : Math.Sqrt(v.Sum(x => x * x) / v.Length);
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
