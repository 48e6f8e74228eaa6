using System.Globalization;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Loudness;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Reference;

/// <summary>What was asked of a match.</summary>
/// <param name="Target">The reference or style target.</param>
/// <param name="Aspects">What to match.</param>
/// <param name="Amount">Fraction (0..1) of every match applied.</param>
/// <param name="LoudnessOverride">A loudness target the user gave (--target/--lufs); it wins over the reference's loudness.</param>
/// <param name="CeilingDbtp">The true-peak ceiling, which always holds.</param>
public sealed record MatchRequest(MatchTarget Target, MatchAspects Aspects, double Amount, LoudnessTarget? LoudnessOverride, double CeilingDbtp = -1);

/// <summary>One matched aspect, as reports name it: the programme's value, the reference's, the
/// change planned (after the amount) and, once rendered, the result.</summary>
/// <param name="Aspect">tone, loudness, width or dynamics.</param>
/// <param name="Unit">dB, LUFS or LU.</param>
/// <param name="Input">The programme's value (for tone: its third-octave distance to the reference).</param>
/// <param name="Reference">The reference's value (for tone: 0, the reference itself).</param>
/// <param name="Planned">What the match aims for (for tone: the distance the fitted curve predicts).</param>
/// <param name="Note">A sentence: what was done and why, or why not.</param>
public sealed record MatchedAspect(string Aspect, string Unit, double Input, double Reference, double Planned, string Note)
{
    /// <summary>The delivered master's value, filled in after rendering; null before.</summary>
    public double? Result { get; init; }
}

/// <summary>The decisions of a match, made once for every front end.</summary>
/// <param name="Request">What was asked.</param>
/// <param name="Moves">EQ moves at full strength (the mastering engine applies the amount).</param>
/// <param name="CorrectionDb">The wanted change per third-octave band at full strength (NaN where not matched).</param>
/// <param name="PredictedDb">The change the moves make per band at full strength.</param>
/// <param name="Loudness">The loudness target the gain search aims at.</param>
/// <param name="SideGainDb">Gain on the side signal (after the amount), dB; 0 unless width is matched.</param>
/// <param name="RangeRatio">Factor on the loudness range (after the amount); 1 unless dynamics are matched.</param>
/// <param name="Matched">What was matched and by how much.</param>
public sealed record ReferenceMatchPlan(
    MatchRequest Request,
    IReadOnlyList<EqMove> Moves,
    double[] CorrectionDb,
    double[] PredictedDb,
    LoudnessTarget Loudness,
    double SideGainDb,
    double RangeRatio,
    IReadOnlyList<MatchedAspect> Matched);

/// <summary>
/// Plans a match of a programme toward a reference or a style target: the tonal curve (a fitted
/// third-octave EQ, <see cref="MatchCurveFitter"/>), the loudness target, the side gain and the
/// loudness-range factor, each scaled by the amount, each with a sentence saying what it does.
/// The CLI's <c>master --reference</c> and <c>--target-curve</c> and the plug-in use this one plan.
/// </summary>
public static class ReferenceMatcher
{
    /// <summary>Bounds on the side gain, dB: wider than +6 dB turns most mixes phasey, and −12 dB is nearly mono.</summary>
    public const double MinSideGainDb = -12, MaxSideGainDb = 6;

    /// <summary>Bounds on the loudness-range factor: a match may halve a programme's dynamics, or widen them by half.</summary>
    public const double MinRangeRatio = 0.5, MaxRangeRatio = 1.5;

    /// <summary>[any-thread] Plans the match of <paramref name="input"/> (its <see cref="ProgrammeProfile.IntegratedLufs"/> measured).</summary>
    public static ReferenceMatchPlan Plan(ProgrammeProfile input, MatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        MatchTarget target = request.Target;
        double amount = Math.Clamp(request.Amount, 0, 1);
        var matched = new List<MatchedAspect>();

        // Tone: the reference's shape minus the programme's, median removed.
        int n = ThirdOctaveBands.Count;
        double[] correction = new double[n];
        double[] predicted = new double[n];
        IReadOnlyList<EqMove> moves = [];
        if (request.Aspects.HasFlag(MatchAspects.Tone))
        {
            double[] difference = TonalShape.Difference(target.CurveDb, input.BandsDb, input.SampleRate);
            correction = difference;
            (MatchCurveFitter.MatchBand[] bands, double[] change) = MatchCurveFitter.Fit(difference, input.Grid, input.SampleRate);
            predicted = change;
            moves = MatchCurveFitter.ToMoves(bands, difference, target.Name);
            double before = Rms(difference, null, 1);
            double after = Rms(difference, change, amount);
            matched.Add(new MatchedAspect("tone", "dB", Round(before), 0, Round(after), string.Create(CultureInfo.InvariantCulture,
                $"{moves.Count} third-octave moves at {amount * 100:0.#} % bring the tonal distance to the {target.Name} reference from {before:0.00} dB to {after:0.00} dB (predicted, before the limiter)")));
        }
        else
        {
            Array.Fill(correction, double.NaN);
        }

        // Loudness: the reference's, unless the user gave a target.
        LoudnessTarget loudness;
        if (request.LoudnessOverride is LoudnessTarget given)
        {
            loudness = given;
            if (request.Aspects.HasFlag(MatchAspects.Loudness))
            {
                matched.Add(new MatchedAspect("loudness", "LUFS", Round(input.IntegratedLufs), Round(target.IntegratedLufs), given.Lufs,
                    string.Create(CultureInfo.InvariantCulture, $"the given target {given.Lufs:0.#} LUFS wins over the reference's {target.IntegratedLufs:0.0} LUFS")));
            }
        }
        else if (request.Aspects.HasFlag(MatchAspects.Loudness))
        {
            double aim = input.IntegratedLufs + (amount * (target.IntegratedLufs - input.IntegratedLufs));
            aim = Math.Clamp(aim, LoudnessTarget.MinLufs, LoudnessTarget.MaxLufs);
            loudness = LoudnessTarget.Custom(Math.Round(aim, 2), request.CeilingDbtp) with { Preset = "reference" };
            matched.Add(new MatchedAspect("loudness", "LUFS", Round(input.IntegratedLufs), Round(target.IntegratedLufs), loudness.Lufs,
                string.Create(CultureInfo.InvariantCulture,
                    $"integrated loudness to {loudness.Lufs:0.0} LUFS ({amount * 100:0.#} % of the way to the reference's {target.IntegratedLufs:0.0}), true peak held under {request.CeilingDbtp:0.#} dBTP")));
        }
        else
        {
            // Loudness not matched: keep the programme's own level (the limiter still holds the ceiling).
            double keep = Math.Clamp(input.IntegratedLufs, LoudnessTarget.MinLufs, LoudnessTarget.MaxLufs);
            loudness = LoudnessTarget.Custom(Math.Round(keep, 2), request.CeilingDbtp) with { Preset = "unchanged" };
        }

        // Width: side gain by the difference of side-to-mid ratios.
        double sideGain = 0;
        if (request.Aspects.HasFlag(MatchAspects.Width))
        {
            if (input.WidthDb is double inWidth && target.WidthDb is double refWidth)
            {
                double full = refWidth - inWidth;
                sideGain = Math.Clamp(amount * full, MinSideGainDb, MaxSideGainDb);
                string bounded = Math.Abs(sideGain - (amount * full)) > 1e-9 ? string.Create(CultureInfo.InvariantCulture, $" (bounded to {MinSideGainDb:0}..{MaxSideGainDb:+0} dB)") : string.Empty;
                matched.Add(new MatchedAspect("width", "dB", Round(inWidth), Round(refWidth), Round(inWidth + sideGain), string.Create(CultureInfo.InvariantCulture,
                    $"side-to-mid ratio {inWidth:0.0} dB → {inWidth + sideGain:0.0} dB (reference {refWidth:0.0} dB): side gain {sideGain:+0.0;-0.0} dB{bounded}")));
            }
            else
            {
                matched.Add(new MatchedAspect("width", "dB", input.WidthDb ?? double.NaN, target.WidthDb ?? double.NaN, input.WidthDb ?? double.NaN,
                    "width not matched: the programme or the reference is mono"));
            }
        }

        // Dynamics: a factor on the loudness range.
        double ratio = 1;
        if (request.Aspects.HasFlag(MatchAspects.Dynamics))
        {
            if (input.LoudnessRangeLu > 0.5 && target.LoudnessRangeLu > 0)
            {
                double full = target.LoudnessRangeLu / input.LoudnessRangeLu;
                ratio = Math.Clamp(1 + (amount * (full - 1)), MinRangeRatio, MaxRangeRatio);
                matched.Add(new MatchedAspect("dynamics", "LU", Round(input.LoudnessRangeLu), Round(target.LoudnessRangeLu), Round(input.LoudnessRangeLu * ratio),
                    string.Create(CultureInfo.InvariantCulture,
                        $"loudness range {input.LoudnessRangeLu:0.0} LU → about {input.LoudnessRangeLu * ratio:0.0} LU (reference {target.LoudnessRangeLu:0.0} LU) by slow gain riding on the short-term loudness (factor {ratio:0.00}, bounded to {MinRangeRatio:0.0}..{MaxRangeRatio:0.0})")));
            }
            else
            {
                matched.Add(new MatchedAspect("dynamics", "LU", Round(input.LoudnessRangeLu), Round(target.LoudnessRangeLu), Round(input.LoudnessRangeLu),
                    "dynamics not matched: the programme has no measurable loudness range"));
            }
        }

        return new ReferenceMatchPlan(request, moves, correction, predicted, loudness, sideGain, ratio, matched);
    }

    // RMS of (difference − amount·change) over the bands that carry programme in both.
    private static double Rms(double[] difference, double[]? change, double amount)
    {
        double sum = 0;
        int count = 0;
        for (int b = 0; b < difference.Length; b++)
        {
            if (double.IsFinite(difference[b]))
            {
                double r = difference[b] - (change is null ? 0 : amount * change[b]);
                sum += r * r;
                count++;
            }
        }

        return count > 0 ? Math.Sqrt(sum / count) : 0;
    }

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 2) : v;
}
