using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;
using MixMate.Cli.Demo;
using MixMate.Dsp;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests.Demo;

public sealed class DemoMixAndCommandTests
{
    private static PlanarBuffer Sine(double amplitude, double frequency, int frames = 4800)
    {
        var buffer = new PlanarBuffer(2, frames, 48000);
        for (int c = 0; c < 2; c++)
        {
            for (int i = 0; i < frames; i++)
            {
                buffer[c][i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / 48000));
            }
        }

        return buffer;
    }

    private static float Peak(PlanarBuffer buffer)
    {
        float peak = 0;
        foreach (float x in buffer.Samples)
        {
            peak = Math.Max(peak, Math.Abs(x));
        }

        return peak;
    }

    [Fact]
    public void Loud_stems_are_scaled_to_the_ceiling()
    {
        // Two in-phase sines at 0.9 sum to a 1.8 peak (+5.1 dBFS), which must come down to −3 dBFS.
        (PlanarBuffer mix, double gainDb) = StemMixer.Sum([Sine(0.9, 1000), Sine(0.9, 1000)]);
        double peakDb = Decibels.FromGain(Peak(mix));
        Assert.True(peakDb <= -3.0, $"peak {peakDb} dBFS");
        Tolerance.AssertClose(-3.0, peakDb, 1e-4, "peak");
        Tolerance.AssertClose(-3.0 - Decibels.FromGain(Peak(Sine(1.8, 1000))), gainDb, 1e-4, "gain");
        Tolerance.AssertClose(Decibels.ToGain(gainDb) * 1.8 * Math.Sin(2 * Math.PI * 1000 * 7 / 48000), mix[1][7], 1e-6, "sample 7");
    }

    [Fact]
    public void Quiet_stems_are_summed_without_gain()
    {
        PlanarBuffer a = Sine(0.2, 440);
        PlanarBuffer b = Sine(0.1, 97);
        (PlanarBuffer mix, double gainDb) = StemMixer.Sum([a, b]);
        Assert.Equal(0, gainDb);
        for (int i = 0; i < mix.Frames; i++)
        {
            Assert.Equal(a[0][i] + b[0][i], mix[0][i]);
        }
    }

    [Fact]
    public void Stems_of_different_length_are_refused() =>
        Assert.Throws<ArgumentException>(() => StemMixer.Sum([Sine(0.1, 100, 100), Sine(0.1, 100, 101)]));

    [Fact]
    public void Demo_command_writes_a_24_bit_mix_and_its_master_and_refuses_to_overwrite_without_force()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mixmate-demo-out-" + Guid.NewGuid().ToString("N"), "out");
        try
        {
            var stdout = new StringWriter();
            Assert.Equal(0, DemoCommand.Run(["--out", folder], stdout));
            string text = stdout.ToString();
            Assert.Contains("stem drums", text);
            Assert.Contains("mix", text);
            Assert.Contains(folder, text);

            string mixPath = Path.Combine(folder, "mix.wav");
            using (AudioFileReader reader = AudioFileReader.Open(mixPath))
            {
                Assert.Equal(48000, reader.SampleRate);
                Assert.Equal(2, reader.Channels);
                Assert.Equal(1_920_000, reader.Frames);
                Assert.Equal(SndFile.FormatWav | SndFile.FormatPcm24, reader.Format);
            }

            PlanarBuffer mix = PlanarBuffer.Load(mixPath);
            Assert.True(Decibels.FromGain(Peak(mix)) <= StemMixer.CeilingDbfs + 0.01);

            // The master reaches the default streaming target (−14 LUFS, −1 dBTP) per libebur128.
            string masterPath = Path.Combine(folder, DemoCommand.MasteredFileName);
            PlanarBuffer master = PlanarBuffer.Load(masterPath);
            Assert.Equal(mix.Frames, master.Frames);
            ReferenceLoudness measured = Ebur128Reference.Measure(DemoRenderTests.Interleave(master), 2, 48000);
            Tolerance.AssertClose(-14.0, measured.IntegratedLufs, 0.1, "master integrated loudness");
            Assert.True(measured.TruePeakDbtp <= -1.0 + 0.2, $"master true peak {measured.TruePeakDbtp:0.00} dBTP");
            Assert.Contains("master", text);

            // The mix + master page: well-formed, its numbers equal its data island (the mix report
            // with the master attached), and listed in the output.
            string reportPath = Path.Combine(folder, DemoCommand.ReportFileName);
            Assert.True(File.Exists(reportPath), "report.html is written");
            Assert.Contains($"report  {reportPath}", text);
            HtmlPage page = HtmlPage.Load(reportPath);
            using (System.Text.Json.JsonDocument island = page.DataIsland())
            {
                int compared = page.AssertMatches(island.RootElement);
                Assert.True(compared > 40, $"only {compared} cells compared");
                Assert.Equal(4, island.RootElement.GetProperty("tracks").GetArrayLength());
                Assert.Equal("spotify", island.RootElement.GetProperty("master").GetProperty("target").GetProperty("preset").GetString());
                Assert.Equal(masterPath, island.RootElement.GetProperty("output").GetProperty("path").GetString());
            }

            Assert.Equal(["plot-balance", "plot-loudness", "plot-spectrum", "plot-limiter"], page.Plots().Select(p => (string?)p.Attribute("id")));

            CliException refused = Assert.Throws<CliException>(() => DemoCommand.Run(["--out", folder], TextWriter.Null));
            Assert.Contains("already exists", refused.Message);
            Assert.Contains("mix.wav", refused.Message);

            // Either existing output blocks the run before any work.
            File.Delete(mixPath);
            refused = Assert.Throws<CliException>(() => DemoCommand.Run(["--out", folder], TextWriter.Null));
            Assert.Contains(DemoCommand.MasteredFileName, refused.Message);
            Assert.False(File.Exists(mixPath));

            DateTime old = DateTime.UtcNow.AddHours(-1);
            File.SetLastWriteTimeUtc(masterPath, old);
            File.SetLastWriteTimeUtc(reportPath, old);
            Assert.Equal(0, DemoCommand.Run(["--out", folder, "--force"], TextWriter.Null));
            Assert.True(File.Exists(mixPath), "--force writes the mix again");
            Assert.True(File.GetLastWriteTimeUtc(masterPath) > old.AddMinutes(30), "--force rewrites the master");
            Assert.True(File.GetLastWriteTimeUtc(reportPath) > old.AddMinutes(30), "--force rewrites the report");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("extra")]
    [InlineData("--bogus")]
    public void Demo_command_rejects_unknown_arguments(string argument)
    {
        CliException e = Assert.Throws<CliException>(() => DemoCommand.Run([argument], TextWriter.Null));
        Assert.StartsWith("demo:", e.Message);
    }

    [Fact]
    public void Demo_command_help_lists_its_options()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, DemoCommand.Run(["--help"], stdout));
        Assert.Contains("--render-only", stdout.ToString());
        Assert.Contains("--force", stdout.ToString());
        Assert.Contains("report.html", stdout.ToString());
    }
}
