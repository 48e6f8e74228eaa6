using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MixMate.Assistant.Mastering;
using MixMate.Cli.Audio;
using MixMate.Dsp;
using MixMate.Dsp.Dynamics;
using MixMate.TestSupport;

namespace MixMate.Benchmarks;

/// <summary>
/// Issue 3, external processes side by side (BenchmarkDotNet cannot time whole processes well):
/// (a) <c>mixmate master --target spotify</c> against ffmpeg's two-pass <c>loudnorm</c>
/// (I=−14, TP=−1, LRA=11, second pass linear with the measured values), (b) MixMate's
/// <see cref="TruePeakLimiter"/> against the x42 digital peak limiter (LV2, through ffmpeg) at the
/// same +6 dB gain and −1 dBTP ceiling, including a distortion test on sine bursts. Every result is
/// measured with libebur128; wall times are medians of several runs, interleaved.
/// Usage: mixmate-benchmarks external [--cli path/to/mixmate.dll] [--runs N] [--out file.md]
/// </summary>
internal static class ExternalHarness
{
    private const string X42Stereo = @"http\://gareus.org/oss/lv2/dpl#stereo";
    private const double LimiterGainDb = 6;
    private const double CeilingDbtp = -1;

    public static int Run(IReadOnlyList<string> args)
    {
        string? cli = Option(args, "--cli") ?? Environment.GetEnvironmentVariable("MIXMATE_CLI_DLL");
        cli ??= Path.Combine(BenchPaths.RepoRoot, "artifacts", "bin", "MixMate.Cli", "release", "mixmate.dll");
        int runs = int.Parse(Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        string output = Option(args, "--out") ?? Path.Combine(BenchPaths.BenchFolder, "external.md");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"external: no CLI at {cli}; build src/MixMate.Cli or pass --cli");
            return 2;
        }

        string song = BenchMaterial.FourMinuteSong();
        string work = Path.Combine(BenchPaths.BenchFolder, "external");
        Directory.CreateDirectory(work);
        var md = new StringBuilder();
        ReferenceLoudness input = Ebur128Reference.Measure(song);
        md.AppendLine(Invariant($"Input: `{Path.GetFileName(song)}` (demo song at 44.1 kHz, 24-bit, {input.DurationSeconds:0} s): {input.IntegratedLufs:0.00} LUFS, {input.TruePeakDbtp:0.00} dBTP, LRA {input.LoudnessRangeLu:0.0} LU. {runs} runs each, medians; all levels measured by libebur128 on the written files."));
        md.AppendLine();

        Master(cli, song, work, runs, md);
        Limiter(song, work, runs, md);
        Distortion(work, md);

        string text = md.ToString();
        Console.WriteLine(text);
        File.WriteAllText(output, text);
        Console.WriteLine($"written {output}");
        return 0;
    }

    private static void Master(string cli, string song, string work, int runs, StringBuilder md)
    {
        string ours = Path.Combine(work, "master-mixmate.wav");
        string theirs = Path.Combine(work, "master-loudnorm.wav");
        var dotnetStart = new Timings();
        var ffmpegStart = new Timings();
        var mixmate = new Timings();
        var firstPass = new Timings();
        var secondPass = new Timings();
        var loudnorm = new Timings();
        string normalization = "?";
        for (int r = 0; r < runs; r++)
        {
            dotnetStart.Add(TimedProcess.Run("dotnet", [cli, "--help"]));
            ffmpegStart.Add(TimedProcess.Run("ffmpeg", ["-hide_banner", "-version"]));
            mixmate.Add(TimedProcess.Run("dotnet", [cli, "master", song, "-o", ours, "--target", "spotify", "--force", "--quiet"]));

            var pass1 = TimedProcess.Run("ffmpeg", ["-hide_banner", "-nostats", "-i", song,
                "-af", "loudnorm=I=-14:TP=-1:LRA=11:print_format=json", "-f", "null", "-"]);
            string log1 = pass1.StandardError;
            using JsonDocument measured = JsonDocument.Parse(log1[log1.LastIndexOf('{')..(log1.LastIndexOf('}') + 1)]);
            string M(string name) => measured.RootElement.GetProperty(name).GetString()!;
            string filter = $"loudnorm=I=-14:TP=-1:LRA=11:measured_I={M("input_i")}:measured_TP={M("input_tp")}:measured_LRA={M("input_lra")}"
                + $":measured_thresh={M("input_thresh")}:offset={M("target_offset")}:linear=true:print_format=summary";
            var pass2 = TimedProcess.Run("ffmpeg", ["-hide_banner", "-nostats", "-y", "-i", song,
                "-af", filter, "-ar", "44100", "-c:a", "pcm_s24le", theirs]);
            normalization = pass2.StandardError.Contains("Normalization Type:   Linear", StringComparison.Ordinal) ? "linear"
                : pass2.StandardError.Contains("Normalization Type:   Dynamic", StringComparison.Ordinal) ? "dynamic: loudnorm fell back from linear" : "?";
            firstPass.Add(pass1);
            secondPass.Add(pass2);
            loudnorm.Add((pass1.Seconds + pass2.Seconds, pass1.CpuSeconds + pass2.CpuSeconds, string.Empty));
        }

        ReferenceLoudness a = Ebur128Reference.Measure(ours);
        ReferenceLoudness b = Ebur128Reference.Measure(theirs);
        md.AppendLine("### (a) Mastering to Spotify (−14 LUFS, −1 dBTP): `mixmate master` vs two-pass ffmpeg `loudnorm`");
        md.AppendLine();
        md.AppendLine("| | wall time | CPU time | process start-up (wall / CPU) | integrated (libebur128) | error vs −14 | true peak | LRA |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        md.AppendLine(Invariant($"| `mixmate master --target spotify` | {mixmate.Wall:0.00} s | {mixmate.Cpu:0.00} s | {dotnetStart.Wall:0.00} s / {dotnetStart.Cpu:0.00} s (`dotnet mixmate.dll --help`) | {a.IntegratedLufs:0.00} LUFS | {a.IntegratedLufs + 14:+0.00;-0.00} LU | {a.TruePeakDbtp:0.00} dBTP | {a.LoudnessRangeLu:0.0} LU |"));
        md.AppendLine(Invariant($"| ffmpeg loudnorm, 2 passes (wall: pass 1 {firstPass.Wall:0.00} s + pass 2 {secondPass.Wall:0.00} s; {normalization}) | {loudnorm.Wall:0.00} s | {loudnorm.Cpu:0.00} s | {ffmpegStart.Wall:0.00} s / {ffmpegStart.Cpu:0.00} s per pass (`ffmpeg -version`) | {b.IntegratedLufs:0.00} LUFS | {b.IntegratedLufs + 14:+0.00;-0.00} LU | {b.TruePeakDbtp:0.00} dBTP | {b.LoudnessRangeLu:0.0} LU |"));
        md.AppendLine();
        md.AppendLine(Invariant($"Speed-up over loudnorm: **{loudnorm.Wall / mixmate.Wall:0.0}× in wall time, {loudnorm.Cpu / mixmate.Cpu:0.0}× in CPU time** (goal ≥ 5×); without process start-up on either side: {(loudnorm.Cpu - (2 * ffmpegStart.Cpu)) / (mixmate.Cpu - dotnetStart.Cpu):0.0}× (CPU). Distance from the −14 LUFS target: MixMate {Math.Abs(a.IntegratedLufs + 14):0.00} LU, loudnorm {Math.Abs(b.IntegratedLufs + 14):0.00} LU. Both write 24-bit WAV at 44.1 kHz (`-ar 44100` stops loudnorm's 192 kHz output). Medians of {runs} interleaved runs."));
        md.AppendLine();
    }

    private static void Limiter(string song, string work, int runs, StringBuilder md)
    {
        string ours = Path.Combine(work, "limiter-mixmate.wav");
        string theirs = Path.Combine(work, "limiter-x42.wav");
        string copy = Path.Combine(work, "limiter-ffmpeg-copy.wav");
        var render = new Timings();
        var endToEnd = new Timings();
        var x42 = new Timings();
        var ffmpegCopy = new Timings();
        for (int r = 0; r < runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            double cpu = CpuTime.CurrentThread();
            PlanarBuffer source = PlanarBuffer.Load(song);
            var result = new PlanarBuffer(source.Channels, source.Frames, source.SampleRate);
            render.Add(RenderLimiter(source.Block, result.Block, source.SampleRate));
            AudioFileWriter.WriteAll(ours, result.Block, (int)source.SampleRate, SampleFormat.Float32);
            endToEnd.Add((Stopwatch.GetElapsedTime(start).TotalSeconds, CpuTime.CurrentThread() - cpu, string.Empty));

            x42.Add(TimedProcess.Run("ffmpeg", ["-hide_banner", "-nostats", "-y", "-i", song,
                "-af", X42Filter(), "-c:a", "pcm_f32le", theirs]));
            ffmpegCopy.Add(TimedProcess.Run("ffmpeg", ["-hide_banner", "-nostats", "-y", "-i", song, "-c:a", "pcm_f32le", copy]));
        }

        ReferenceLoudness a = Ebur128Reference.Measure(ours);
        ReferenceLoudness b = Ebur128Reference.Measure(theirs);
        md.AppendLine(Invariant($"### (b) Limiter alone: +{LimiterGainDb:0} dB into a {CeilingDbtp:0} dBTP ceiling, MixMate `TruePeakLimiter` vs x42-dpl (true-peak mode) via ffmpeg's lv2 filter"));
        md.AppendLine();
        md.AppendLine("| | wall time | CPU time | integrated | true peak | sample peak |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        md.AppendLine(Invariant($"| MixMate, in-process render only (4096-frame blocks) | {render.Wall:0.000} s | {render.Cpu:0.000} s | {a.IntegratedLufs:0.00} LUFS | {a.TruePeakDbtp:0.00} dBTP | {a.SamplePeakDbfs:0.00} dBFS |"));
        md.AppendLine(Invariant($"| MixMate, read 24-bit + render + write float WAV | {endToEnd.Wall:0.000} s | {endToEnd.Cpu:0.000} s | | | |"));
        md.AppendLine(Invariant($"| x42-dpl via `ffmpeg -af lv2` (whole process) | {x42.Wall:0.000} s | {x42.Cpu:0.000} s | {b.IntegratedLufs:0.00} LUFS | {b.TruePeakDbtp:0.00} dBTP | {b.SamplePeakDbfs:0.00} dBFS |"));
        md.AppendLine(Invariant($"| same ffmpeg conversion without the filter | {ffmpegCopy.Wall:0.000} s | {ffmpegCopy.Cpu:0.000} s | | | |"));
        md.AppendLine(Invariant($"| x42-dpl filter alone (difference of the two rows above) | {x42.Wall - ffmpegCopy.Wall:0.000} s | {x42.Cpu - ffmpegCopy.Cpu:0.000} s | | | |"));
        md.AppendLine();
        md.AppendLine(Invariant($"Limiter cost ratio, x42 filter / MixMate render: {(x42.Wall - ffmpegCopy.Wall) / render.Wall:0.0}× (wall), {(x42.Cpu - ffmpegCopy.Cpu) / render.Cpu:0.0}× (CPU). x42 command: `ffmpeg -i IN -af \"lv2=p='{X42Stereo}':c='threshold={CeilingDbtp:0}|truepeak=1|gain={LimiterGainDb:0}'\" -c:a pcm_f32le OUT` (control symbols from /usr/lib/lv2/dpl.lv2/dpl.ttl; release left at its 10 ms default; MixMate at its defaults: 1.5 ms look-ahead, 50 ms release)."));
        md.AppendLine();
    }

    private static void Distortion(string work, StringBuilder md)
    {
        const int Rate = 44100;
        const double AmplitudeDbfs = -3;
        md.AppendLine(Invariant($"### Distortion on sine bursts ({AmplitudeDbfs:0} dBFS sine, 3 s, +{LimiterGainDb:0} dB into {CeilingDbtp:0} dBTP → about {AmplitudeDbfs + LimiterGainDb - CeilingDbtp:0} dB of steady gain reduction)"));
        md.AppendLine();
        md.AppendLine("Energy outside ±1/3 octave of the fundamental relative to the total (THD+N-like; lower is cleaner), from a Blackman–Harris FFT of 1.49 s of the steady part; the input row is the measurement floor.");
        md.AppendLine();
        md.AppendLine("| sine | input (floor) | MixMate | x42-dpl | MixMate, release 250 ms (diagnostic) | MixMate TP | x42 TP |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (double hz in new[] { 50.0, 100.0, 1000.0, 5000.0 })
        {
            float[] planar = SineBurst(hz, AmplitudeDbfs, Rate, out int frames);
            var inputBlock = new AudioBlock(planar, 2, frames, frames);
            string inPath = Path.Combine(work, Invariant($"sine-{hz:0}.wav"));
            string x42Path = Path.Combine(work, Invariant($"sine-{hz:0}-x42.wav"));
            AudioFileWriter.WriteAll(inPath, inputBlock, Rate, SampleFormat.Float32);
            TimedProcess.Run("ffmpeg", ["-hide_banner", "-nostats", "-y", "-i", inPath, "-af", X42Filter(), "-c:a", "pcm_f32le", x42Path]);

            float[] oursPlanar = new float[planar.Length];
            var oursBlock = new AudioBlock(oursPlanar, 2, frames, frames);
            RenderLimiter(inputBlock, oursBlock, Rate);
            float[] slowPlanar = new float[planar.Length];
            RenderLimiter(inputBlock, new AudioBlock(slowPlanar, 2, frames, frames), Rate, releaseMilliseconds: 250);
            (float[] x42Interleaved, int channels, int _) = ReferenceAudioFile.ReadInterleaved(x42Path);
            float[] x42Left = new float[x42Interleaved.Length / channels];
            for (int i = 0; i < x42Left.Length; i++)
            {
                x42Left[i] = x42Interleaved[i * channels];
            }

            // Steady state: from 0.5 s after the burst starts (attack and settling are over).
            int from = Rate;
            double floor = DistortionMeter.OutOfBandDb(planar.AsSpan(from, DistortionMeter.Size), Rate, hz);
            double oursDb = DistortionMeter.OutOfBandDb(oursPlanar.AsSpan(from, DistortionMeter.Size), Rate, hz);
            double slowDb = DistortionMeter.OutOfBandDb(slowPlanar.AsSpan(from, DistortionMeter.Size), Rate, hz);
            double x42Db = DistortionMeter.OutOfBandDb(x42Left.AsSpan(from, DistortionMeter.Size), Rate, hz);
            double oursTp = Ebur128Reference.Measure(oursBlock, Rate).TruePeakDbtp;
            double x42Tp = Ebur128Reference.Measure(x42Interleaved, channels, Rate).TruePeakDbtp;
            md.AppendLine(Invariant($"| {hz:0} Hz | {floor:0.0} dB | {oursDb:0.0} dB | {x42Db:0.0} dB | {slowDb:0.0} dB | {oursTp:0.00} dBTP | {x42Tp:0.00} dBTP |"));
        }

        md.AppendLine();
    }

    /// <summary>Renders the limiter (latency-compensated) at the benchmark's gain and ceiling; returns wall and CPU seconds.</summary>
    private static (double Seconds, double CpuSeconds, string StandardError) RenderLimiter(AudioBlock input, AudioBlock output, double sampleRate, double releaseMilliseconds = 50)
    {
        var limiter = new TruePeakLimiter { CeilingDbtp = CeilingDbtp, InputGainDb = LimiterGainDb, ReleaseMilliseconds = releaseMilliseconds };
        limiter.Configure(sampleRate, input.Channels, OfflineRenderer.BlockFrames);
        var renderer = new OfflineRenderer(input.Channels);
        double cpu = CpuTime.CurrentThread();
        long start = Stopwatch.GetTimestamp();
        renderer.Render(limiter, input, output);
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, CpuTime.CurrentThread() - cpu, string.Empty);
    }

    /// <summary>0.5 s silence, 3 s sine (same on both channels), 0.5 s silence; planar stereo.</summary>
    private static float[] SineBurst(double hz, double amplitudeDbfs, int rate, out int frames)
    {
        frames = 4 * rate;
        var samples = new float[2 * frames];
        double amplitude = Decibels.ToGain(amplitudeDbfs);
        for (int i = rate / 2; i < rate / 2 * 7; i++)
        {
            float x = (float)(amplitude * Math.Sin(2 * Math.PI * hz * (i - (rate / 2)) / rate));
            samples[i] = x;
            samples[frames + i] = x;
        }

        return samples;
    }

    private static string X42Filter() =>
        Invariant($"lv2=p='{X42Stereo}':c='threshold={CeilingDbtp:0}|truepeak=1|gain={LimiterGainDb:0}'");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    internal static string? Option(IReadOnlyList<string> args, string name)
    {
        for (int i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
