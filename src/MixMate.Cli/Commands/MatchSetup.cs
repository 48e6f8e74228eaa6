using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Assistant.Reference;
using MixMate.Assistant.Tonal;
using MixMate.Cli.Analysis;

namespace MixMate.Cli.Commands;

/// <summary>
/// A reference match as <c>master</c> runs it: what to match toward, which aspects, how much, and
/// whether the user's own loudness target wins. <see cref="Prepare"/> turns the input's
/// measurements into mastering settings through <see cref="ReferenceMatcher"/>, the one planner.
/// </summary>
/// <param name="Source">The reference file or style target.</param>
/// <param name="Aspects">What to match.</param>
/// <param name="Amount">Fraction 0..1 of every match.</param>
/// <param name="LoudnessOverride">--target/--lufs when given.</param>
/// <param name="CeilingDbtp">The true-peak ceiling.</param>
internal sealed record MatchSetup(MatchSource Source, MatchAspects Aspects, double Amount, LoudnessTarget? LoudnessOverride, double CeilingDbtp)
{
    /// <summary>[main-thread] The plan for the input, and the settings that carry it out.</summary>
    /// <exception cref="Cli.CommandLine.CliException">The reference is bad.</exception>
    public (MasterSettings Settings, ReferenceMatchPlan Plan, ProgrammeProfile Input) Prepare(int channels, long frames, double sampleRate, string label,
        LoudnessAnalysis before, (double[] Bands, SpectrumGrid Grid, double? Width) spectrum, MasterSettings settings)
    {
        MatchTarget target = Source.Resolve(channels);
        var input = new ProgrammeProfile(label, sampleRate, channels, frames / sampleRate, spectrum.Bands, spectrum.Grid,
            before.IntegratedLufs ?? double.NegativeInfinity, before.LoudnessRangeLu ?? 0, before.TruePeakDbtp ?? double.NegativeInfinity, spectrum.Width);
        ReferenceMatchPlan plan = ReferenceMatcher.Plan(input, new MatchRequest(target, Aspects, Amount, LoudnessOverride, CeilingDbtp));

        // The deviation the report and plots show: the input relative to the reference, per band.
        double[] deviation = [.. plan.CorrectionDb.Select(c => double.IsFinite(c) ? -c : 0)];
        var suggestion = new TonalSuggestion(deviation, plan.Moves, target.Name);
        bool tone = Aspects.HasFlag(MatchAspects.Tone) && settings.Eq != EqMode.Off;
        MasterSettings matched = settings with
        {
            Target = plan.Loudness,
            Eq = tone ? settings.Eq : EqMode.Off,
            Amount = Amount,
            InputBandsDb = spectrum.Bands,
            SuggestEq = _ => suggestion,
            EqBandCount = Math.Max(8, plan.Moves.Count),
            SideGainDb = plan.SideGainDb,
        };
        return (matched, plan, input);
    }

    /// <summary>[any-thread] The third-octave distance of <paramref name="bandsDb"/> to the target, dB (median offset removed).</summary>
    public static double Distance(MatchTarget target, ReadOnlySpan<double> bandsDb, double sampleRate) =>
        TonalShape.Distance(target.CurveDb, bandsDb, sampleRate);

    /// <summary>[any-thread] Band levels as reports write them (null where empty).</summary>
    public static IReadOnlyList<double?> Levels(IEnumerable<double> bandsDb) =>
        [.. bandsDb.Select(b => double.IsFinite(b) ? Math.Round(b, 2) : (double?)null)];
}
