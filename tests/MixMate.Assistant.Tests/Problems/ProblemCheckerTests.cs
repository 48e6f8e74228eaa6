using MixMate.Assistant.Problems;
using MixMate.Dsp;
using Xunit;
using Xunit.Abstractions;
using static MixMate.Assistant.Tests.Problems.ProblemMaterial;

namespace MixMate.Assistant.Tests.Problems;

/// <summary>
/// The checker on clean programmes (composed music, pink noise, a loud master made with MixMate's
/// own master chain) and on the same programmes with one problem inserted at a known time: it must
/// find the problem with the right kind and time (±0.5 s) and raise no error on the clean ones.
/// </summary>
public sealed class ProblemCheckerTests(ITestOutputHelper output)
{
    private const double Tolerance = 0.5;

    internal static CheckReport Check(float[][] audio, CheckProfile? profile = null, AudioFormat? format = null, int block = 4096,
        IReadOnlyCollection<ProblemKind>? kinds = null)
    {
        int frames = audio[0].Length;
        using var checker = new ProblemChecker(profile ?? CheckProfile.Streaming, format ?? AudioFormat.InMemory(Rate, audio.Length), kinds);
        var planar = new float[audio.Length * frames];
        for (int c = 0; c < audio.Length; c++)
        {
            audio[c].CopyTo(planar, c * frames);
        }

        var all = new AudioBlock(planar, audio.Length, frames, frames);
        for (int start = 0; start < frames; start += block)
        {
            checker.Process(all.Slice(start, Math.Min(block, frames - start)));
        }

        return checker.Finish();
    }

    [Fact]
    public void A_check_for_some_kinds_finds_exactly_what_the_full_check_finds_of_them()
    {
        // The stage checks of master and mix skip detectors (spectra, true peak) their kinds do
        // not need: what they find must be the full check's findings of those kinds, no more, no less.
        float[][] audio = Music;
        Clip(audio, 5, 6, 3);
        AddDc(audio, 0.02f, 10, 14);
        AddHum(audio, 50, -30, 15, 25);
        Gain(audio, -1, channel: 1, from: 20, to: 28);
        CheckReport full = Check(audio);
        Assert.True(full.Problems.Select(p => p.Kind).Distinct().Count() >= 4, string.Join(", ", full.Problems.Select(p => p.Kind)));
        foreach (IReadOnlyList<ProblemKind> kinds in new[] { CheckStage.Stem, CheckStage.Mix, CheckStage.Master, CheckStage.MasteringInput })
        {
            CheckReport staged = Check(audio, kinds: kinds);
            Assert.Equal(full.Problems.Where(p => kinds.Contains(p.Kind)), staged.Problems);
        }
    }

    [Fact]
    public void A_check_with_its_clicks_and_spectra_fed_apart_on_other_threads_finds_the_same()
    {
        // master's passes split the check over two cores: the click search and the spectra on
        // shares of their own. Same blocks, same findings.
        float[][] audio = Music;
        AddClick(audio, 4.4, 0.4f);
        AddClick(audio, 17.2, 0.3f);
        AddHum(audio, 50, -30, 15, 25);
        Clip(audio, 8, 9, 3);
        CheckReport whole = Check(audio);
        Assert.Contains(whole.Problems, p => p.Kind == ProblemKind.Clicks);

        int frames = audio[0].Length;
        var planar = new float[audio.Length * frames];
        for (int c = 0; c < audio.Length; c++)
        {
            audio[c].CopyTo(planar, c * frames);
        }

        using var checker = new ProblemChecker(CheckProfile.Streaming, AudioFormat.InMemory(Rate, audio.Length), null) { SharesFedApart = true };
        const int Block = 4096;
        for (int start = 0; start < frames; start += Block)
        {
            int n = Math.Min(Block, frames - start);
            int at = start;
            Parallel.Invoke(
                () => checker.Process(new AudioBlock(planar, audio.Length, frames, frames).Slice(at, n)),
                () => checker.ProcessClicks(new AudioBlock(planar, audio.Length, frames, frames).Slice(at, n)),
                () => checker.ProcessSpectra(new AudioBlock(planar, audio.Length, frames, frames).Slice(at, n)));
        }

        Assert.Equal(whole.Problems, checker.Finish().Problems);
    }

    [Fact]
    public void TheLoudMasterRaisesNoError()
    {
        float[][] master = Master;
        double lufs = Integrated(master);
        Assert.InRange(lufs, -12, -8);
        CheckReport report = Check(master);
        Log(report);
        Assert.InRange(report.TruePeakDbtp, -1.3, -0.9);
        Assert.DoesNotContain(report.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.DoesNotContain(report.Problems, p => p.Kind is ProblemKind.Clipping or ProblemKind.Hum or ProblemKind.Clicks or ProblemKind.Polarity or ProblemKind.DcOffset or ProblemKind.StereoImbalance or ProblemKind.TruePeakOver);
    }

    [Fact]
    public void CleanMusicAndPinkNoiseRaiseNoError()
    {
        foreach (float[][] audio in new[] { Music, PinkNoise() })
        {
            CheckReport report = Check(audio);
            Log(report);
            Assert.DoesNotContain(report.Problems, p => p.Severity == ProblemSeverity.Error);
            Assert.DoesNotContain(report.Problems, p => p.Kind is ProblemKind.Clipping or ProblemKind.Hum or ProblemKind.Clicks or ProblemKind.Polarity or ProblemKind.DcOffset);
        }
    }

    [Fact]
    public void ClippingIsFoundWhereItHappens()
    {
        float[][] audio = Master;
        Clip(audio, 10, 12, 2.5);
        Problem p = Single(Check(audio), ProblemKind.Clipping, 10, 12);
        Assert.Equal(ProblemSeverity.Error, p.Severity);
    }

    [Fact]
    public void ClippingTurnedDownAfterwardsIsStillFound()
    {
        float[][] audio = Music;
        Clip(audio, 0, 30, 4, 0.9f);
        Gain(audio, 0.5);
        CheckReport report = Check(audio);
        Assert.Contains(report.Problems, p => p.Kind == ProblemKind.Clipping && p.Severity == ProblemSeverity.Error);
        Assert.DoesNotContain(report.Problems, p => p.Kind == ProblemKind.TruePeakOver);
    }

    [Fact]
    public void TruePeakOversAreFoundWhereTheyHappen()
    {
        float[][] audio = Master;
        Gain(audio, 1.4, from: 8, to: 9);
        CheckReport report = Check(audio);
        Problem p = Single(report, ProblemKind.TruePeakOver, 8, 9, ProblemSeverity.Error);
        Assert.True(p.Value > 0);
    }

    [Fact]
    public void DcOffsetOverTheWholeFileAndOverASection()
    {
        float[][] whole = Master;
        AddDc(whole, 0.02f);
        Problem p = Single(Check(whole), ProblemKind.DcOffset, null, null);
        Assert.InRange(p.Value, -35, -33);

        float[][] section = Master;
        AddDc(section, 0.03f, 5, 10);
        Single(Check(section), ProblemKind.DcOffset, 5, 10);
    }

    [Fact]
    public void AnInvertedChannelIsFound()
    {
        float[][] whole = Master;
        Gain(whole, -1, channel: 1);
        Problem p = Single(Check(whole), ProblemKind.Polarity, null, null, ProblemSeverity.Error);
        Assert.True(p.Value < -0.3);

        float[][] section = Master;
        Gain(section, -1, channel: 1, from: 6, to: 14);
        Single(Check(section), ProblemKind.Polarity, 6, 14);
    }

    [Fact]
    public void HumIsFoundUnderTheMusic()
    {
        float[][] audio = Master;
        AddHum(audio, 50, -30, 4, 12);
        Single(Check(audio), ProblemKind.Hum, 4, 12);

        float[][] whole = Master;
        AddHum(whole, 60, -38, 0, 30);
        Problem p = Single(Check(whole), ProblemKind.Hum, null, null);
        Assert.Contains("60 Hz", p.Message, StringComparison.Ordinal);
    }

    /// <summary>Music that repeats every half second (a riff at 120 bpm) has a comb of lines 2 Hz
    /// apart, and 50, 60, 100 and 120 Hz are among its teeth: that is not hum. Hum under it, lifting
    /// 50 Hz well above the teeth, still is.</summary>
    [Fact]
    public void A_comb_of_the_musics_lines_is_not_hum_but_hum_under_it_is()
    {
        float[][] Comb()
        {
            float[][] audio = PinkNoise();
            double a = Decibels.ToGain(-45);
            foreach (float[] x in audio)
            {
                for (int i = 0; i < x.Length; i++)
                {
                    double t = (double)i / Rate, v = 0;
                    for (int k = 15; k <= 65; k++)
                    {
                        v += Math.Sin((2 * Math.PI * 2.0 * k * t) + (0.7 * k * k));
                    }

                    x[i] += (float)(a * v);
                }
            }

            return audio;
        }

        Assert.DoesNotContain(Check(Comb()).Problems, p => p.Kind == ProblemKind.Hum);
        float[][] hum = Comb();
        AddHum(hum, 50, -30, 0, 30);
        Problem p = Single(Check(hum), ProblemKind.Hum, null, null);
        Assert.Contains("50 Hz", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HumIsFoundOnPinkNoise()
    {
        float[][] audio = PinkNoise();
        AddHum(audio, 50, -50, 10, 25);
        Single(Check(audio), ProblemKind.Hum, 10, 25);
    }

    [Fact]
    public void ClicksAreFoundAtTheirTimes()
    {
        float[][] audio = Master;
        double[] times = [3.3, 7.7, 12.1, 21.05];
        foreach (double t in times)
        {
            AddClick(audio, t, 0.4f);
        }

        AssertClicksAt(Check(audio), times);
    }

    [Fact]
    public void The_corners_of_a_sawtooth_bass_are_not_clicks_but_a_click_on_it_is()
    {
        // A band-limited sawtooth at 27.5 Hz (A0, a synth bass's low note) drops once a period,
        // every 36 ms: each drop stands 20 dB and more out of the smooth ramp around it, 2-3 per
        // 100 ms, like a click. They repeat; a click does not.
        const double Hz = 27.5;
        int frames = At(12);
        var saw = new float[frames];
        for (int k = 1; Hz * k < 20000; k++)
        {
            double a = 0.1 / k;
            for (int i = 0; i < frames; i++)
            {
                saw[i] += (float)(a * Math.Sin(2 * Math.PI * Hz * k * i / Rate));
            }
        }

        float[][] bass = [saw, (float[])saw.Clone()];
        Assert.DoesNotContain(Check(bass).Problems, p => p.Kind == ProblemKind.Clicks);

        double[] times = [3.31, 7.77];
        foreach (double t in times)
        {
            AddClick(bass, t, 0.3f);
        }

        AssertClicksAt(Check(bass), times);
    }

    [Fact]
    public void The_click_search_across_vector_lanes_finds_what_the_one_at_a_time_search_finds()
    {
        // Noise and music with clicks of every size, a saw bass, a dropout, blocks of odd lengths.
        float[][] audio = Master;
        var random = new Random(21);
        for (int i = 0; i < 40; i++)
        {
            AddClick(audio, 0.5 + (random.NextDouble() * 18), (float)(0.005 + (random.NextDouble() * 0.3)));
        }

        for (int i = At(9); i < At(9) + 30; i++)
        {
            audio[0][i] = audio[1][i] = 0;
        }

        for (int i = 0; i < audio[0].Length; i++)
        {
            float saw = (float)(0.2 * (((i * 41.2 / Rate) % 1.0) - 0.5));
            audio[0][i] += saw;
            audio[1][i] += saw;
        }

        string Clicks(bool lanes)
        {
            var detector = new ClickDetector(Rate, 2, 5000, lanes);
            var rng = new Random(4);
            int frames = audio[0].Length;
            var interleavedPlanar = new float[2 * frames];
            audio[0].CopyTo(interleavedPlanar, 0);
            audio[1].CopyTo(interleavedPlanar, frames);
            var block = new AudioBlock(interleavedPlanar, 2, frames, frames);
            for (int pos = 0; pos < frames;)
            {
                int n = Math.Min(frames - pos, 1 + rng.Next(5000));
                detector.Process(block.Slice(pos, n));
                pos += n;
            }

            return string.Join("\n", detector.Finish(0.1, []).Select(p => $"{p.Start:R} {p.End:R} {p.Value:R} {p.Message}"));
        }

        string oneAtATime = Clicks(lanes: false);
        Assert.Contains("click", oneAtATime, StringComparison.Ordinal);
        Assert.Equal(oneAtATime, Clicks(lanes: true));
    }

    [Fact]
    public void ImbalanceOverTheWholeFileAndOverASection()
    {
        float[][] whole = Master;
        Gain(whole, Decibels.ToGain(-4), channel: 1);
        Problem p = Single(Check(whole), ProblemKind.StereoImbalance, null, null);
        Assert.InRange(p.Value, 3.5, 4.5);

        float[][] section = Master;
        Gain(section, Decibels.ToGain(-6), channel: 0, from: 12, to: 20);
        Single(Check(section), ProblemKind.StereoImbalance, 12, 20);
    }

    [Fact]
    public void LeadingSilenceAndACutTail()
    {
        float[][] audio = PrependSilence(Master, 3);
        Single(Check(audio), ProblemKind.SilenceStart, 0, 3);

        float[][] cut = Cut(Master, 17.3);
        Problem p = Single(Check(cut), ProblemKind.AbruptEnd, 17.3, 17.3);
        Assert.Equal(ProblemSeverity.Warning, p.Severity);
    }

    [Fact]
    public void LoudnessAndFormatAgainstTheProfile()
    {
        float[][] master = Master;
        CheckReport broadcast = Check(master, CheckProfile.Broadcast, new AudioFormat(Rate, 2, 16, false, false, "WAV, 16-bit PCM"));
        Assert.Contains(broadcast.Problems, p => p.Kind == ProblemKind.Loudness && p.Severity == ProblemSeverity.Error);
        Assert.Contains(broadcast.Problems, p => p.Kind == ProblemKind.Format && p.Message.Contains("44100", StringComparison.Ordinal));

        CheckReport cd = Check(master, CheckProfile.Cd, new AudioFormat(Rate, 2, 24, false, false, "WAV, 24-bit PCM"));
        Assert.Contains(cd.Problems, p => p.Kind == ProblemKind.Format && p.Message.Contains("24-bit", StringComparison.Ordinal));
        Assert.DoesNotContain(cd.Problems, p => p.Kind == ProblemKind.Loudness);

        CheckReport streaming = Check(master);
        Assert.DoesNotContain(streaming.Problems, p => p.Kind == ProblemKind.Format);
        Assert.Contains(streaming.Problems, p => p.Kind == ProblemKind.Loudness && p.Severity == ProblemSeverity.Info);
    }

    [Fact]
    public void BlockSizeDoesNotChangeTheResult()
    {
        float[][] audio = Master;
        Clip(audio, 10, 12, 2.5);
        AddClick(audio, 5.5, 0.4f);
        string reference = Summary(Check(audio));
        foreach (int block in new[] { 1000, 4410, 8192, 20000 })
        {
            Assert.Equal(reference, Summary(Check(audio, block: block)));
        }
    }

    private static void AssertClicksAt(CheckReport report, double[] times)
    {
        List<Problem> clicks = [.. report.Problems.Where(p => p.Kind == ProblemKind.Clicks)];
        Assert.Equal(times.Length, clicks.Count);
        for (int i = 0; i < times.Length; i++)
        {
            Assert.InRange(clicks[i].Start!.Value, times[i] - Tolerance, times[i] + Tolerance);
        }
    }

    // Sums in float over different block splits differ in the last digits.
    private static string Summary(CheckReport report) => string.Join("\n", report.Problems.Select(p =>
        $"{p.Kind} {p.Severity} {p.Start:0.00} {p.End:0.00} {p.Value:0.00} {p.Threshold:0.00}"));

    private Problem Single(CheckReport report, ProblemKind kind, double? start, double? end, ProblemSeverity? severity = null)
    {
        Log(report);
        List<Problem> found = [.. report.Problems.Where(p => p.Kind == kind)];
        Problem p = Assert.Single(found);
        if (start is null)
        {
            Assert.Null(p.Start);
            Assert.Null(p.End);
        }
        else
        {
            Assert.NotNull(p.Start);
            Assert.InRange(p.Start!.Value, start.Value - Tolerance, start.Value + Tolerance);
            Assert.InRange(p.End!.Value, end!.Value - Tolerance, end.Value + Tolerance);
        }

        if (severity is ProblemSeverity s)
        {
            Assert.Equal(s, p.Severity);
        }

        return p;
    }

    private void Log(CheckReport report)
    {
        output.WriteLine($"I {report.IntegratedLufs:0.0} LUFS, TP {report.TruePeakDbtp:0.00} dBTP");
        foreach (Problem p in report.Problems)
        {
            output.WriteLine($"{p.Severity} {p.Kind.Name()} {p.Start:0.00}-{p.End:0.00} value {p.Value:0.00} thr {p.Threshold:0.00}: {p.Message}");
        }
    }
}
