using System.Globalization;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using MixMate.Dsp.Loudness;
using MixMate.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace MixMate.Cli.Tests.Analysis;

/// <summary>
/// <c>mixmate analyze</c> (file → reader → LoudnessMeter) against libebur128 1.2.6 reading the
/// same file through its own libsndfile call: |ΔI| ≤ 0.05 LU, |ΔLRA| ≤ 0.2 LU, |ΔTP| ≤ 0.2 dB,
/// sample peak equal. LRA is compared twice: with the meter's Tech 3342 sampling (10 Hz) and, like
/// for like, with libebur128's 1 Hz sampling.
/// </summary>
public sealed class ReferenceAgreementTests(ITestOutputHelper output)
{
    private const double IntegratedTolerance = 0.05;
    private const double RangeTolerance = 0.2;
    private const double TruePeakTolerance = 0.2;

    public static TheoryData<string> Material => new()
    {
        "pink-stereo-48k",
        "pink-mono-96k",
        "sweep-mono-44k1",
        "surround-5.1-48k",
        "surround-5.0-48k",
        "bursts-stereo-48k",
        "lra-steps-stereo-44k1",
        "intersample-peaks-48k",
        "composed-song-44k1",
    };

    [Theory]
    [MemberData(nameof(Material))]
    public void Analyze_agrees_with_libebur128(string name)
    {
        string path = Render(name);

        LoudnessAnalysis ours = FileAnalyzer.Analyze(path);
        ReferenceLoudness reference = Ebur128Reference.Measure(path);
        double likeForLikeRange = RangeSampledEverySecond(path);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: I {ours.IntegratedLufs:0.000} vs {reference.IntegratedLufs:0.000}; " +
            $"LRA {ours.LoudnessRangeLu:0.000} (1 Hz: {likeForLikeRange:0.000}) vs {reference.LoudnessRangeLu:0.000}; " +
            $"TP {ours.TruePeakDbtp:0.000} vs {reference.TruePeakDbtp:0.000}; SP {ours.SamplePeakDbfs:0.0000} vs {reference.SamplePeakDbfs:0.0000}; " +
            $"max M {ours.MaxMomentaryLufs:0.000} vs {reference.MaxMomentaryLufs:0.000}; max S {ours.MaxShortTermLufs:0.000} vs {reference.MaxShortTermLufs:0.000}"));

        Assert.NotNull(ours.IntegratedLufs);
        Tolerance.AssertClose(reference.IntegratedLufs, ours.IntegratedLufs.Value, IntegratedTolerance, $"{name} integrated");
        Assert.NotNull(ours.LoudnessRangeLu);
        Tolerance.AssertClose(reference.LoudnessRangeLu, ours.LoudnessRangeLu.Value, RangeTolerance, $"{name} LRA");
        Tolerance.AssertClose(reference.LoudnessRangeLu, likeForLikeRange, RangeTolerance, $"{name} LRA sampled at 1 Hz");
        Assert.NotNull(ours.TruePeakDbtp);
        Tolerance.AssertClose(reference.TruePeakDbtp, ours.TruePeakDbtp.Value, TruePeakTolerance, $"{name} true peak");
        Assert.NotNull(ours.SamplePeakDbfs);
        Tolerance.AssertClose(reference.SamplePeakDbfs, ours.SamplePeakDbfs.Value, 1e-4, $"{name} sample peak");
        Tolerance.AssertClose(reference.DurationSeconds, ours.DurationSeconds, 1e-9, $"{name} duration");

        // libebur128 is read every 100 ms, the meter every 10 ms: the meter's maxima can only be
        // higher, and only by what 100 ms of hop hides.
        Assert.NotNull(ours.MaxMomentaryLufs);
        Assert.InRange(ours.MaxMomentaryLufs.Value - reference.MaxMomentaryLufs, -0.02, 0.5);
        Assert.NotNull(ours.MaxShortTermLufs);
        Assert.InRange(ours.MaxShortTermLufs.Value - reference.MaxShortTermLufs, -0.02, 0.1);
    }

    [Fact]
    public void The_lfe_channel_does_not_count_and_surrounds_weigh_more()
    {
        // Sanity of the reference itself and of our layout: 5.1 with only the LFE carrying signal
        // is silent to both meters; a surround channel alone is 1.5 dB louder than a front one.
        var lfeOnly = new PlanarBuffer(6, 48000 * 4, 48000);
        TestSignals.PinkNoise(-20, 4, 48000, 1, seed: 1)[0].CopyTo(lfeOnly[3]);
        var frontOnly = new PlanarBuffer(6, 48000 * 4, 48000);
        TestSignals.PinkNoise(-20, 4, 48000, 1, seed: 1)[0].CopyTo(frontOnly[0]);
        var surroundOnly = new PlanarBuffer(6, 48000 * 4, 48000);
        TestSignals.PinkNoise(-20, 4, 48000, 1, seed: 1)[0].CopyTo(surroundOnly[4]);

        Assert.Null(FileAnalyzer.Analyze(lfeOnly.Block, 48000, "lfe").IntegratedLufs);
        Assert.True(double.IsNegativeInfinity(Ebur128Reference.Measure(lfeOnly.Block, 48000).IntegratedLufs));

        double front = FileAnalyzer.Analyze(frontOnly.Block, 48000, "front").IntegratedLufs!.Value;
        double surround = FileAnalyzer.Analyze(surroundOnly.Block, 48000, "surround").IntegratedLufs!.Value;
        Tolerance.AssertClose(10 * Math.Log10(1.41), surround - front, 0.01, "surround − front");
        Tolerance.AssertClose(Ebur128Reference.Measure(surroundOnly.Block, 48000).IntegratedLufs, surround, IntegratedTolerance, "surround vs libebur128");
    }

    [Fact]
    public void In_memory_analysis_equals_file_analysis()
    {
        string path = Render("pink-stereo-48k");
        PlanarBuffer buffer = PlanarBuffer.Load(path);

        LoudnessAnalysis fromFile = FileAnalyzer.Analyze(path);
        LoudnessAnalysis fromMemory = FileAnalyzer.Analyze(buffer.Block, buffer.SampleRate, path);

        Assert.Equal(fromFile, fromMemory);
    }

    /// <summary>Writes (once per run) the named test material as a float WAV and returns its path.</summary>
    internal static string Render(string name)
    {
        lock (s_rendered)
        {
            if (s_rendered.TryGetValue(name, out string? existing))
            {
                return existing;
            }

            string path = name == "composed-song-44k1"
                ? ComposedSong.WavPath
                : TestAudio.Write(TestFolder.PathFor($"reference-{name}.wav"), Synthesize(name), TestAudio.Kind.WavFloat32);
            s_rendered[name] = path;
            return path;
        }
    }

    private static readonly Dictionary<string, string> s_rendered = [];

    private static PlanarBuffer Synthesize(string name) => name switch
    {
        // Around −23 LUFS, the EBU R128 programme target.
        "pink-stereo-48k" => TestSignals.PinkNoise(-29, 20, 48000, 2, seed: 23),
        "pink-mono-96k" => TestSignals.PinkNoise(-18, 8, 96000, 1, seed: 96),
        "sweep-mono-44k1" => TestSignals.Sweep(20, 20000, -6, 12, 44100, channels: 1),
        "surround-5.1-48k" => Surround(6),
        "surround-5.0-48k" => Surround(5),
        // Tech 3341 case-like: quiet, loud, quiet — gating must drop the quiet parts.
        "bursts-stereo-48k" => TestSignals.Bursts(1000, 48000, 2, (-36, 5), (-23, 10), (-36, 5)),
        // Tech 3342 case-like: 1 kHz at −20 then −30 dBFS, LRA ≈ 10 LU.
        "lra-steps-stereo-44k1" => TestSignals.Bursts(1000, 44100, 2, (-20, 20), (-30, 20)),
        // fs/4 sampled at ±45°: samples reach only 0.707 of the waveform's peak, so the true peak
        // is 3.01 dB above the sample peak (BS.1770-4 Annex 2).
        "intersample-peaks-48k" => TestSignals.Sine(12000, -3, 6, 48000, 2, phase: Math.PI / 4).Gain(3.0103),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Different noise in every channel, each at its own level; the LFE (4th of six) is loud.</summary>
    private static PlanarBuffer Surround(int channels)
    {
        double[] levels = channels == 6 ? [-24, -25, -22, -12, -30, -31] : [-24, -25, -22, -30, -31];
        var buffer = new PlanarBuffer(channels, 48000 * 10, 48000);
        for (int c = 0; c < channels; c++)
        {
            TestSignals.PinkNoise(levels[c], 10, 48000, 1, seed: 50 + c)[0].CopyTo(buffer[c]);
        }

        return buffer;
    }

    private static double RangeSampledEverySecond(string path)
    {
        PlanarBuffer buffer = PlanarBuffer.Load(path);
        var meter = new LoudnessMeter { LraSampling = LoudnessRangeSampling.EverySecond };
        meter.Configure(buffer.SampleRate, buffer.Channels, FileAnalyzer.BlockFrames);
        meter.Process(buffer.Block);
        return meter.LoudnessRangeLu;
    }
}
