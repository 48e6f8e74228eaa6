using System.Text.Json;
using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using MixMate.Dsp;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// Long programmes in bounded memory: <c>master</c> and <c>suggest</c> run on a programme whose
/// samples as float are over twice the GC heap they are allowed (<c>DOTNET_GCHeapHardLimit</c>), so
/// any pass that held the whole programme — or a render of it — would run out of memory and fail.
/// The peak figures for 10 minutes to 3 hours are the <c>memory</c> benchmark's.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LongProgrammeMemoryTests
{
    private const int Rate = 48000;
    private const int Seconds = 150;

    /// <summary>32 MiB of managed heap: 150 s of 48 kHz stereo float is 58 MB, a render as much again.</summary>
    private static readonly Dictionary<string, string> s_tightHeap = new()
    {
        ["DOTNET_GCHeapHardLimit"] = "0x2000000",
    };

    private static readonly Lazy<string> s_programme = new(() => Generate(TestFolder.PathFor("long-150s.wav")));

    [Fact]
    public void Master_streams_a_programme_larger_than_its_heap_and_lands_on_the_target()
    {
        string folder = TestFolder.NewFolder("long-master");
        string output = Path.Combine(folder, "master.wav");
        string report = Path.Combine(folder, "master.json");
        CliRunner.Result run = CliRunner.ProcessWith(s_tightHeap, "master", s_programme.Value, "-o", output, "--report", report, "--eq", "apply", "--quiet");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        using (AudioFileReader written = AudioFileReader.Open(output))
        {
            Assert.Equal((long)Seconds * Rate, written.Frames);
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement delivered = json.RootElement.GetProperty("output");
        Assert.InRange(delivered.GetProperty("integratedLufs").GetDouble(), -14.06, -13.94);
        Assert.True(delivered.GetProperty("truePeakDbtp").GetDouble() <= -1.0 + 1e-9);

        // The scratch render beside the output is gone with the run.
        Assert.Equal(["master.json", "master.wav"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Master_converting_the_rate_streams_too()
    {
        string folder = TestFolder.NewFolder("long-master-rate");
        string output = Path.Combine(folder, "master.flac");
        CliRunner.Result run = CliRunner.ProcessWith(s_tightHeap, "master", s_programme.Value, "-o", output, "--sample-rate", "44100", "--quiet");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        using AudioFileReader written = AudioFileReader.Open(output);
        Assert.Equal(44100, written.SampleRate);
        Assert.Equal((long)Seconds * 44100, written.Frames);
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void Suggest_streams_a_programme_larger_than_its_heap()
    {
        CliRunner.Result run = CliRunner.ProcessWith(s_tightHeap, "suggest", s_programme.Value, "--json");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement track = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.Array, track.GetProperty("eq").ValueKind);
    }

    /// <summary>Music-like material written block by block (never held): a kick on the beat, a
    /// decaying chord, a noise bed, a slow level drift.</summary>
    private static string Generate(string path)
    {
        if (File.Exists(path))
        {
            return path;
        }

        string temporary = path + ".part";
        var random = new Random(13);
        const int Block = 4096;
        var samples = new float[2 * Block];
        long total = (long)Seconds * Rate;
        using (AudioFileWriter writer = AudioFileWriter.Create(temporary, Rate, 2, SampleFormat.Pcm16))
        {
            for (long start = 0; start < total; start += Block)
            {
                int n = (int)Math.Min(Block, total - start);
                for (int i = 0; i < n; i++)
                {
                    double t = (start + i) / (double)Rate;
                    double beat = t % 0.5;
                    double kick = 0.5 * Math.Exp(-beat / 0.08) * Math.Sin(2 * Math.PI * 55 * beat);
                    double chord = Math.Exp(-beat / 0.4) * ((0.1 * Math.Sin(2 * Math.PI * 220 * t)) + (0.07 * Math.Sin(2 * Math.PI * 329.6 * t)));
                    double drift = 0.7 + (0.3 * Math.Sin(2 * Math.PI * t / 60));
                    samples[i] = (float)(drift * (kick + chord + (0.02 * ((random.NextDouble() * 2) - 1))));
                    samples[Block + i] = (float)(drift * (kick + (0.8 * chord) + (0.02 * ((random.NextDouble() * 2) - 1))));
                }

                writer.Write(new AudioBlock(samples, 2, n, Block));
            }

            writer.Close();
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
