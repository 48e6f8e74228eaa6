using System.Diagnostics;
using MixMate.Cli.Audio;
using MixMate.Cli.Demo;
using MixMate.TestSupport;

namespace MixMate.Benchmarks;

/// <summary>
/// The benchmark programme: MixMate's own demo song (composed for the project, rendered with
/// FluidSynth and the Debian GM soundfont), resampled to 44.1 kHz by sox and looped six times to
/// 4 minutes, stored as 24-bit WAV under <see cref="BenchPaths.BenchFolder"/>.
/// </summary>
internal static class BenchMaterial
{
    /// <summary>Length of the programme.</summary>
    public const double DurationSeconds = 240;

    /// <summary>Its sample rate.</summary>
    public const int SampleRate = 44100;

    private const int Copies = 6;

    /// <summary>[any thread, not real-time] Path of the 4-minute 44.1 kHz stereo file; renders it once.</summary>
    public static string FourMinuteSong()
    {
        string path = Path.Combine(BenchPaths.BenchFolder, "song-4min-44k1.wav");
        if (File.Exists(path))
        {
            return path;
        }

        DemoRender demo = DemoSong.EnsureRendered();
        if (Math.Abs((Copies * demo.Frames / (double)demo.SampleRate) - DurationSeconds) > 0.01)
        {
            throw new InvalidOperationException($"The demo song is {demo.Frames / (double)demo.SampleRate} s; expected {DurationSeconds / Copies} s.");
        }

        string temporary = path + ".tmp.wav";
        // sox: "rate -v" is its very-high-quality resampler; "repeat 5" plays the input 6 times.
        Run("sox", [demo.MixPath, "-b", "24", temporary, "rate", "-v", SampleRate.ToString(), "repeat", (Copies - 1).ToString()]);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>[any thread] The demo mix at its native 48 kHz (40 s).</summary>
    public static PlanarBuffer DemoMix48k() => PlanarBuffer.Load(DemoSong.EnsureRendered().MixPath);

    /// <summary>[any thread] Loads <paramref name="path"/> planar (MixMate's reader) and interleaved
    /// (libsndfile directly), both as float.</summary>
    public static (PlanarBuffer Planar, float[] Interleaved) LoadBoth(string path)
    {
        PlanarBuffer planar = PlanarBuffer.Load(path);
        (float[] interleaved, int channels, int _) = ReferenceAudioFile.ReadInterleaved(path);
        if (channels != planar.Channels || interleaved.Length != planar.Frames * channels)
        {
            throw new InvalidOperationException($"{path}: the two readers disagree on its shape.");
        }

        return (planar, interleaved);
    }

    /// <summary>[any thread] Runs a tool and throws with its error output when it fails.</summary>
    public static void Run(string tool, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {tool}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {stderr}");
        }
    }
}
