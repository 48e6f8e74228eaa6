using MixMate.Assistant.Eq;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;
using Xunit;

namespace MixMate.Assistant.Tests.Tonal;

public sealed class TonalEngineTests
{
    private const double Rate = 48000;

    // A clean programme on the mix reference (−30 dB at the reference's 1 kHz) plus a fault, on the
    // twelfth-octave grid; the third-octave levels are the sums of the four fine bands around each.
    private static TonalProfile Programme(TonalReference reference, IEnumerable<(FilterType Type, double Hz, double Gain, double Q)> fault, Random? ripple = null)
    {
        int n = TwelfthOctaveBands.Count;
        double[] curve = BoundedEqFitter.Response(fault.Select(f => (f.Type, f.Hz, f.Gain, f.Q)));
        var fine = new double[n];
        for (int i = 0; i < n; i++)
        {
            fine[i] = -30 + reference.MeanDb[i] - reference.MeanDb[TwelfthOctaveBands.ReferenceIndex] + curve[i] + (ripple is null ? 0 : (ripple.NextDouble() - 0.5) * 0.6);
        }

        var third = new double[ThirdOctaveBands.Count];
        for (int b = 0; b < third.Length; b++)
        {
            double p = 0;
            for (int i = (4 * b) - 2; i <= (4 * b) + 1; i++)
            {
                p += i >= 0 && i < n ? Math.Pow(10, fine[i] / 10) : 0;
            }

            third[b] = 10 * Math.Log10(p);
        }

        return new TonalProfile(third, fine, Rate);
    }

    private static List<(FilterType, double, double, double)> RandomFault(Random r)
    {
        static double LogUniform(Random r, double a, double b) => Math.Exp(Math.Log(a) + (r.NextDouble() * Math.Log(b / a)));
        double Gain() => (r.NextDouble() < 0.5 ? -1 : 1) * (3 + (3 * r.NextDouble()));
        var fault = new List<(FilterType, double, double, double)>();
        switch (r.Next(4))
        {
            case 0:
                fault.Add((FilterType.LowShelf, LogUniform(r, 60, 500), Gain(), BiquadCoefficients.ButterworthQ));
                break;
            case 1:
                fault.Add((FilterType.HighShelf, LogUniform(r, 1500, 12000), Gain(), BiquadCoefficients.ButterworthQ));
                break;
            default:
                for (int k = 0, count = 1 + r.Next(3); k < count; k++)
                {
                    fault.Add((FilterType.Peak, LogUniform(r, 50, 14000), Gain(), LogUniform(r, 0.5, 8)));
                }

                break;
        }

        return fault;
    }

    [Fact]
    public void Every_reason_agrees_with_its_move_over_many_synthetic_faults()
    {
        var random = new Random(15);
        int moves = 0;
        foreach (string name in new[] { TonalReferences.Mix, TonalReferences.Speech, "bass", TonalReferences.Track })
        {
            TonalReference reference = TonalReferences.Find(name) ?? TonalReferences.ForRole(name);
            for (int trial = 0; trial < 150; trial++)
            {
                TonalSuggestion s = TonalEngine.Suggest(Programme(reference, RandomFault(random), random), reference);
                Assert.True(s.Moves.Count <= 6);
                foreach (EqMove m in s.Moves)
                {
                    moves++;
                    bool cut = m.GainDb < 0;
                    string why = $"{m.Type} {m.FrequencyHz} Hz {m.GainDb} dB: {m.Reason}";

                    // Sign: a cut answers too much, a boost too little, and the reason says which.
                    Assert.True(m.DeviationDb is double d && Math.Sign(d) == (cut ? 1 : -1), why);
                    Assert.Contains(cut ? " above " : " below ", " " + m.Reason.Split(';')[0] + " ", StringComparison.Ordinal);
                    Assert.EndsWith($"{(cut ? "cut" : "boost")} {Math.Abs(m.GainDb):0.0} dB", m.Reason, StringComparison.Ordinal);

                    // Size: never more than the deviation it names.
                    Assert.True(Math.Abs(m.GainDb) <= Math.Abs(m.DeviationDb!.Value) + 0.05, why);
                    Assert.InRange(Math.Abs(m.GainDb), 0.5, 4.0);

                    // Place: the word is the one for where the deviation is, and that is where the move acts.
                    Assert.Equal(ToneWords.For(m.AtHz!.Value, cut), m.Word);
                    Assert.Contains($"({m.Word})", m.Reason, StringComparison.Ordinal);
                    double octaves = Math.Log2(m.AtHz.Value / m.FrequencyHz);
                    switch (m.Type)
                    {
                        case FilterType.LowShelf:
                            Assert.True(octaves < 1.0, why);
                            break;
                        case FilterType.HighShelf:
                            Assert.True(octaves > -1.0, why);
                            break;
                        default:
                            Assert.True(Math.Abs(octaves) < 1.5, why);
                            break;
                    }
                }

                // The combined curve stays within ±6 dB.
                Assert.All(s.CurveDb, c => Assert.InRange(c, -6.05, 6.05));
            }
        }

        Assert.True(moves > 300, $"only {moves} moves over 600 faults");
    }

    [Fact]
    public void A_programme_on_its_reference_gets_no_move_over_a_decibel()
    {
        foreach (string name in TonalReferences.Names)
        {
            TonalReference reference = TonalReferences.Find(name)!;
            TonalSuggestion s = TonalEngine.Suggest(Programme(reference, []), reference);
            Assert.True(s.Moves.Count <= 2 && s.Moves.All(m => Math.Abs(m.GainDb) <= 1), name + ": " + string.Join(" | ", s.Moves.Select(m => $"{m.Type} {m.FrequencyHz} {m.GainDb} {m.Reason}")));
        }
    }

    [Fact]
    public void A_narrow_resonance_is_found_at_its_frequency_and_cut_there()
    {
        TonalReference mix = TonalReferences.ForRole("mix");
        TonalProfile programme = Programme(mix, [(FilterType.Peak, 1000, 6, 6)]);

        // The finder sees it on the twelfth-octave grid, where a third-octave analysis smears it.
        FaultEstimate estimate = FaultFinder.Estimate(programme, mix);
        int at = Enumerable.Range(0, TwelfthOctaveBands.Count).MaxBy(i => estimate.NarrowFaultDb[i]);
        Assert.InRange(TwelfthOctaveBands.Centre(at), 940, 1060);
        Assert.True(estimate.NarrowFaultDb[at] > 0.5, $"{estimate.NarrowFaultDb[at]}");

        // Six moves all go to the broad bank, which still cuts there; with two more, narrow moves too.
        TonalSuggestion six = TonalEngine.Suggest(programme, mix);
        Assert.Contains(six.Moves, m => m.GainDb < 0 && Math.Abs(Math.Log2(m.FrequencyHz / 1000)) < 1);
        TonalSuggestion eight = TonalEngine.Suggest(programme, mix, FaultFinderSettings.Default with { MaxMoves = 8 });
        Assert.Contains(eight.Moves, m => m.GainDb < 0 && Math.Abs(Math.Log2(m.FrequencyHz / 1000)) < 1.0 / 3 && m.Word == "honky");
    }

    [Fact]
    public void A_boomy_low_shelf_is_cut_in_the_low_end_and_called_boomy()
    {
        TonalReference mix = TonalReferences.ForRole("mix");
        TonalSuggestion s = TonalEngine.Suggest(Programme(mix, [(FilterType.LowShelf, 150, 6, BiquadCoefficients.ButterworthQ)]), mix);

        EqMove main = s.Moves.MinBy(m => m.GainDb)!;
        Assert.True(main.GainDb <= -1, string.Join(" | ", s.Moves));
        Assert.True(main.FrequencyHz <= 400, main.ToString());
        Assert.Contains(main.Word, new[] { "boomy", "rumbling sub-bass", "muddy" });
        Assert.DoesNotContain(s.Moves, m => m.GainDb > 0 && m.FrequencyHz < 300);
    }

    [Fact]
    public void Stacked_deviations_stay_within_the_combined_bound()
    {
        // A programme far from the mix reference at both ends (a podcast judged as music).
        TonalReference mix = TonalReferences.ForRole("mix");
        TonalSuggestion s = TonalEngine.Suggest(Programme(mix,
            [(FilterType.LowShelf, 200, -24, 0.7), (FilterType.HighShelf, 6000, -20, 0.7), (FilterType.Peak, 120, -10, 1)]), mix);

        Assert.All(s.CurveDb, c => Assert.InRange(c, -6.05, 6.05));
        Assert.All(s.Moves, m => Assert.InRange(m.GainDb, -4.0, 4.0));
    }

    [Theory]
    [InlineData(100, true, "boomy")]
    [InlineData(300, true, "muddy")]
    [InlineData(500, true, "boxy")]
    [InlineData(1000, true, "honky")]
    [InlineData(3000, true, "harsh")]
    [InlineData(7000, true, "sibilant")]
    [InlineData(12000, true, "too much air")]
    [InlineData(12000, false, "lacking air")]
    [InlineData(100, false, "thin low end")]
    [InlineData(3000, false, "lacking presence")]
    public void Words_sit_where_engineers_use_them(double hz, bool tooMuch, string word) => Assert.Equal(word, ToneWords.For(hz, tooMuch));

    [Fact]
    public void References_exist_for_mixes_speech_and_roles()
    {
        Assert.Contains(TonalReferences.Mix, TonalReferences.Names);
        Assert.Contains(TonalReferences.Speech, TonalReferences.Names);
        Assert.True(TonalReferences.Find(TonalReferences.Mix)!.Examples >= 10);
        Assert.Equal("speech", TonalReferences.ForProgramme(speech: true).Name);
        Assert.NotEqual(TonalReferences.ForRole("bass").MeanDb[20], TonalReferences.ForRole("mix").MeanDb[20]);
    }

    [Fact]
    public void Twelfth_octave_levels_of_a_sine_equal_its_level()
    {
        var x = new float[(int)Rate * 4];
        for (int n = 0; n < x.Length; n++)
        {
            x[n] = (float)(0.1 * Math.Sqrt(2) * Math.Sin(2 * Math.PI * 1000 * n / Rate));
        }

        TonalProfile p = TonalProfile.Measure(new AudioBlock(x, 1), Rate);
        Assert.InRange(p.FineDb[TwelfthOctaveBands.ReferenceIndex], -20.3, -19.7);
        Assert.InRange(p.ThirdOctaveDb[17], -20.3, -19.7);
        Assert.True(p.FineDb[TwelfthOctaveBands.ReferenceIndex + 6] < -60);
    }

    [Fact]
    public void Speech_is_told_from_music()
    {
        var random = new Random(3);
        var speech = new float[(int)Rate * 8];
        var music = new float[(int)Rate * 8];
        double lp = 0;
        for (int n = 0; n < speech.Length; n++)
        {
            double t = n / Rate;

            // Syllables: 180 ms of voiced buzz (150 Hz harmonics, low-passed noise) then 120 ms of pause.
            bool on = t % 0.3 < 0.18;
            lp += 0.2 * ((random.NextDouble() - 0.5) - lp);
            double voice = (0.3 * Math.Sin(2 * Math.PI * 150 * t)) + (0.2 * Math.Sin(2 * Math.PI * 450 * t)) + (0.1 * Math.Sin(2 * Math.PI * 1200 * t)) + lp;
            speech[n] = on ? (float)(0.3 * voice) : (float)(0.0005 * (random.NextDouble() - 0.5));

            // Music: a held chord over a bass line, never silent.
            music[n] = (float)((0.3 * Math.Sin(2 * Math.PI * (t % 1 < 0.5 ? 55 : 65.4) * t)) + (0.1 * Math.Sin(2 * Math.PI * 440 * t)) + (0.05 * (random.NextDouble() - 0.5)));
        }

        SpeechVerdict s = SpeechDetector.Detect(new AudioBlock(speech, 1), Rate, TonalProfile.Measure(new AudioBlock(speech, 1), Rate));
        SpeechVerdict m = SpeechDetector.Detect(new AudioBlock(music, 1), Rate, TonalProfile.Measure(new AudioBlock(music, 1), Rate));
        Assert.True(s.IsSpeech, s.Reason);
        Assert.False(m.IsSpeech, m.Reason);
    }
}
