using System.Text.Json;
using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// Output containers: chosen from the extension or --format, written by libsndfile in that format
/// (checked from the file's own header), refused in one line when extension and format disagree;
/// and <c>mixmate --version</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutputFormatTests
{
    private static readonly Lazy<string> s_input = new(() =>
    {
        string path = TestFolder.PathFor("format-input-44k.wav");
        if (!File.Exists(path))
        {
            var buffer = new PlanarBuffer(2, 44100 * 6, 44100);
            Signals.PinkNoise(buffer.Frames, 0.05, seed: 21).CopyTo(buffer[0]);
            Signals.PinkNoise(buffer.Frames, 0.05, seed: 22).CopyTo(buffer[1]);
            AudioFileWriter.WriteAll(path, buffer.Block, 44100, SampleFormat.Float32);
        }

        return path;
    });

    [Theory]
    [InlineData(".flac", SndFile.FormatFlac, "flac")]
    [InlineData(".ogg", SndFile.FormatOgg, "ogg")]
    [InlineData(".mp3", SndFile.FormatMpeg, "mp3")]
    [InlineData(".wav", SndFile.FormatWav, "wav")]
    public void Master_writes_the_container_its_extension_names(string extension, int major, string name)
    {
        string output = TestFolder.PathFor("format-out-" + Guid.NewGuid().ToString("N") + extension);
        string report = Path.ChangeExtension(output, ".json");
        try
        {
            CliRunner.Result run = CliRunner.Process("master", s_input.Value, "-o", output, "--report", report, "--quiet");
            Assert.True(run.ExitCode == 0, run.ToString());
            using (AudioFileReader reader = AudioFileReader.Open(output))
            {
                Assert.Equal(major, reader.Format & SndFile.TypeMask);
                Assert.Equal(44100, reader.SampleRate);
            }

            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
            Assert.Equal(name, doc.RootElement.GetProperty("format").GetString());
            double lufs = doc.RootElement.GetProperty("output").GetProperty("integratedLufs").GetDouble();
            Assert.InRange(lufs, -14.6, -13.4); // the lossy ones are measured decoded
        }
        finally
        {
            File.Delete(output);
            File.Delete(report);
        }
    }

    [Theory]
    [InlineData("out.wav", "--format", "flac")]
    [InlineData("out.flac", "--format", "mp3")]
    [InlineData("out.aiff", null, null)]
    [InlineData("out.flac", "--bit-depth", "32f")]
    [InlineData("out.wav", "--format", "opus")]
    public void Mismatches_are_refused_in_one_line_with_exit_2(string name, string? option, string? value)
    {
        string output = TestFolder.PathFor("refused-" + Guid.NewGuid().ToString("N") + "-" + name);
        string[] args = option is null ? ["master", s_input.Value, "-o", output] : ["master", s_input.Value, "-o", output, option, value!];
        CliRunner.Result run = CliRunner.Process(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Mix_writes_flac_when_the_output_is_named_so_and_refuses_a_mismatch()
    {
        string folder = TestFolder.NewFolder("mix-flac");
        string a = TestAudio.WriteWav(Path.Combine(folder, "a44.wav"), TestSignals.Sine(220, -18, 2, 44100));
        string b = TestAudio.WriteWav(Path.Combine(folder, "b48.wav"), TestSignals.Sine(330, -18, 2, 48000));
        string output = Path.Combine(folder, "m.flac");
        CliRunner.Result run = CliRunner.Process("mix", a, b, "-o", output, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        using (AudioFileReader reader = AudioFileReader.Open(output))
        {
            Assert.Equal(SndFile.FormatFlac, reader.Format & SndFile.TypeMask);
            Assert.Equal(48000, reader.SampleRate);
        }

        CliRunner.Result refused = CliRunner.Process("mix", a, b, "-o", Path.Combine(folder, "m.wav"), "--format", "flac");
        Assert.Equal(2, refused.ExitCode);
        Assert.Single(refused.StderrLines);
    }

    [Fact]
    public void Resolve_takes_the_format_from_the_option_or_the_extension()
    {
        Assert.Equal(FileFormat.Flac, FileFormats.Resolve("master", "a/b.FLAC", null));
        Assert.Equal(FileFormat.Ogg, FileFormats.Resolve("master", "a/b", "ogg"));
        Assert.Equal(FileFormat.Mp3, FileFormats.Resolve("master", "b.mp3", "mp3"));
        Assert.Throws<CommandLine.CliException>(() => FileFormats.Resolve("master", "b.mp3", "wav"));
    }

    [Fact]
    public void Version_prints_the_version_the_commit_and_onnx_runtime()
    {
        CliRunner.Result run = CliRunner.Process("--version");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^mixmate \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,12}|unknown)\), ONNX Runtime 1\.\d+\.\d+\s*$", run.Stdout);
        Assert.Contains(MixMate.Assistant.ProductVersion.Version, run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }
}
