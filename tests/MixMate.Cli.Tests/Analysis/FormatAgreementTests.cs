using System.Globalization;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using MixMate.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace MixMate.Cli.Tests.Analysis;

/// <summary>The same music written in every supported container measures the same, within what
/// each encoding changes: nothing for float, quantisation noise for PCM, coding noise for lossy.</summary>
public sealed class FormatAgreementTests(ITestOutputHelper output)
{
    private static readonly Lazy<(PlanarBuffer Music, LoudnessAnalysis Master)> s_music = new(() =>
    {
        // The composed song at 44.1 kHz, 8 s, brought 3 dB down so no encoder clips.
        PlanarBuffer song = PlanarBuffer.Load(ComposedSong.WavPath);
        var music = new PlanarBuffer(2, 44100 * 8, 44100);
        for (int c = 0; c < 2; c++)
        {
            song[c].Slice(44100 * 6, music.Frames).CopyTo(music[c]);
        }

        music.Gain(-3);
        return (music, FileAnalyzer.Analyze(music.Block, music.SampleRate, "float reference"));
    });

    [Theory]
    [InlineData(nameof(TestAudio.Kind.WavPcm16), 0.01)]
    [InlineData(nameof(TestAudio.Kind.WavPcm24), 0.001)]
    [InlineData(nameof(TestAudio.Kind.WavPcm32), 0.001)]
    [InlineData(nameof(TestAudio.Kind.WavFloat32), 0)]
    [InlineData(nameof(TestAudio.Kind.WavFloat64), 0)]
    [InlineData(nameof(TestAudio.Kind.WavExtensible24), 0.001)]
    [InlineData(nameof(TestAudio.Kind.Flac16), 0.01)]
    [InlineData(nameof(TestAudio.Kind.Flac24), 0.001)]
    [InlineData(nameof(TestAudio.Kind.Aiff24), 0.001)]
    [InlineData(nameof(TestAudio.Kind.OggVorbis), 0.15)]
    [InlineData(nameof(TestAudio.Kind.Mp3), 0.15)]
    public void Integrated_loudness_is_the_same_in_every_format(string format, double tolerance)
    {
        TestAudio.Kind kind = Enum.Parse<TestAudio.Kind>(format);
        (PlanarBuffer music, LoudnessAnalysis master) = s_music.Value;
        string path = TestAudio.Write(TestFolder.PathFor($"format-{kind}{TestAudio.Extension(kind)}"), music, kind);

        LoudnessAnalysis measured = FileAnalyzer.Analyze(path);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kind}: I {measured.IntegratedLufs:0.0000} vs {master.IntegratedLufs:0.0000}, TP {measured.TruePeakDbtp:0.000} vs {master.TruePeakDbtp:0.000}, {measured.DurationSeconds:0.0000} s"));
        Assert.Equal(2, measured.Channels);
        Assert.Equal(44100, measured.SampleRate);
        Tolerance.AssertClose(master.IntegratedLufs!.Value, measured.IntegratedLufs!.Value, tolerance, $"{kind} integrated");
    }

    [Fact]
    public void Six_channel_extensible_wav_is_read_as_5_1()
    {
        string wav = ReferenceAgreementTests.Render("surround-5.1-48k");
        PlanarBuffer surround = PlanarBuffer.Load(wav);
        string path = TestAudio.Write(TestFolder.PathFor("surround-extensible.wav"), surround, TestAudio.Kind.WavExtensible24);

        LoudnessAnalysis measured = FileAnalyzer.Analyze(path);
        ReferenceLoudness reference = Ebur128Reference.Measure(path);

        Assert.Equal(6, measured.Channels);
        Tolerance.AssertClose(reference.IntegratedLufs, measured.IntegratedLufs!.Value, 0.05, "5.1 integrated");
        Tolerance.AssertClose(FileAnalyzer.Analyze(wav).IntegratedLufs!.Value, measured.IntegratedLufs.Value, 0.001, "24-bit vs float");
    }
}
