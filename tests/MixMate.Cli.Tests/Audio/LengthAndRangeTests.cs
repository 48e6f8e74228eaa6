using System.Buffers.Binary;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Tests.Support;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests.Audio;

/// <summary>
/// Declared and actual length agree, or the file is refused: W64 and RF64 cut inside their data or
/// declaring far more than they hold, FLAC whose STREAMINFO total disagrees with its frames. Float
/// samples far outside full scale (×1e16, ±3.4e38) are refused in one line by every command.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LengthAndRangeTests
{
    private const int Rate = 48000;

    internal static string WriteTone(string name, int format, int frames = 2 * Rate, float scale = 0.5f)
    {
        string path = TestFolder.PathFor(name);
        var buffer = new PlanarBuffer(2, frames, Rate);
        Signals.Sine(Rate, 440, scale, frames).CopyTo(buffer[0]);
        Signals.Sine(Rate, 660, scale, frames).CopyTo(buffer[1]);
        using AudioFileWriter writer = AudioFileWriter.CreateWithFormat(path, Rate, 2, format);
        writer.Write(buffer.Block);
        writer.Close();
        return path;
    }

    private static readonly Lazy<string> s_w64 = new(() => WriteTone("len-base.w64", SndFile.FormatW64 | SndFile.FormatPcm24));
    private static readonly Lazy<string> s_rf64 = new(() => WriteTone("len-base-rf64.wav", SndFile.FormatRf64 | SndFile.FormatPcm24));
    private static readonly Lazy<string> s_flac = new(() => WriteTone("len-base.flac", SndFile.FormatFlac | SndFile.FormatPcm16));

    private static string Variant(string source, string name, Func<byte[], byte[]> change)
    {
        string path = TestFolder.PathFor(name);
        File.WriteAllBytes(path, change(File.ReadAllBytes(source)));
        return path;
    }

    [Fact]
    public void Intact_w64_rf64_and_flac_read_to_their_full_length()
    {
        foreach (string path in new[] { s_w64.Value, s_rf64.Value, s_flac.Value })
        {
            Assert.Equal(2 * Rate, PlanarBuffer.Load(path).Frames);
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.2)]
    [InlineData(0.3)]
    [InlineData(0.4)]
    [InlineData(0.5)]
    [InlineData(0.6)]
    [InlineData(0.8)]
    [InlineData(0.99)]
    public void W64_and_rf64_cut_inside_the_data_are_refused(double keep)
    {
        foreach (string source in new[] { s_w64.Value, s_rf64.Value })
        {
            string path = Variant(source, $"cut-{keep:0.00}-{Path.GetFileName(source)}", b => b[..(int)(b.Length * keep)]);
            AssertRefused(path, "truncated or corrupt");
        }
    }

    [Fact]
    public void An_rf64_declaring_a_terabyte_in_180_bytes_is_refused()
    {
        string path = Variant(s_rf64.Value, "terabyte-rf64.wav", b =>
        {
            int ds64 = b.AsSpan().IndexOf("ds64"u8);
            Assert.True(ds64 > 0);
            byte[] head = b[..180];
            BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(ds64 + 16), 1UL << 40);
            return head;
        });

        AssertRefused(path, "truncated or corrupt");
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(95999L)]
    [InlineData(96001L)]
    [InlineData(192000L)]
    public void A_flac_whose_streaminfo_total_disagrees_with_its_frames_is_refused(long declared)
    {
        string path = Variant(s_flac.Value, $"streaminfo-{declared}.flac", b =>
        {
            byte[] copy = (byte[])b.Clone();
            // STREAMINFO starts at byte 8; its 36-bit total sample count at bit 108.
            copy[8 + 13] = (byte)((copy[8 + 13] & 0xF0) | (int)((declared >> 32) & 0xF));
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(8 + 14), (uint)declared);
            return copy;
        });

        CliRunner.Result run = CliRunner.Process("analyze", path);

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains(declared == 192000 ? "declares" : "STREAMINFO declares", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e16f)]
    [InlineData(3.4e38f)]
    [InlineData(-3.4e38f)]
    [InlineData(9f)]
    public void Absurd_float_samples_are_one_clear_line_for_every_command_and_nothing_is_written(float value)
    {
        string folder = TestFolder.NewFolder("absurd");
        string input = Path.Combine(folder, "absurd.wav");
        File.WriteAllBytes(input, TestAudio.FloatWavWith(value, badFrame: 1000));
        string output = Path.Combine(folder, "out.wav");

        foreach (string[] args in new[]
        {
            new[] { "analyze", input },
            ["master", input, "-o", output, "--bit-depth", "32f"],
            ["suggest", input],
        })
        {
            CliRunner.Result run = CliRunner.Process(args);
            Assert.True(run.ExitCode == 2, run.ToString());
            string line = Assert.Single(run.StderrLines);
            Assert.Contains("outside the valid range ±8 (+18 dBFS)", line, StringComparison.Ordinal);
            Assert.Contains("frame 1000", line, StringComparison.Ordinal);
        }

        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void A_hot_but_valid_float_file_is_mastered_under_the_ceiling()
    {
        // +15.6 dBFS peaks (×6 of full scale): within the valid range, brought down by the gain stage.
        string input = WriteTone("hot-float.wav", SndFile.FormatWav | SndFile.FormatFloat, 4 * Rate, scale: 6f);
        string output = Path.Combine(TestFolder.NewFolder("hot"), "out.wav");

        CliRunner.Result run = CliRunner.Process("master", input, "-o", output, "--bit-depth", "32f", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        ReferenceLoudness measured = Ebur128Reference.Measure(output);
        Tolerance.AssertClose(-14, measured.IntegratedLufs, 0.1, "integrated");
        Assert.True(measured.TruePeakDbtp <= -1.0 + 0.05, $"true peak {measured.TruePeakDbtp} dBTP above the −1 dBTP ceiling");
    }

    private static void AssertRefused(string path, string expected)
    {
        var error = Assert.Throws<CliException>(() => PlanarBuffer.Load(path));
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
    }
}
