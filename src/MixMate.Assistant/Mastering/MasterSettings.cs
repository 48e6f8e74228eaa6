using MixMate.Assistant.Loudness;
using MixMate.Assistant.Tonal;

namespace MixMate.Assistant.Mastering;

/// <summary>What to do with the tonal-balance suggestions.</summary>
public enum EqMode
{
    /// <summary>No tonal analysis.</summary>
    Off,

    /// <summary>Analyse and report the moves, apply nothing.</summary>
    Suggest,

    /// <summary>Apply the moves, scaled by the amount.</summary>
    Apply,
}

/// <summary>How a programme is mastered.</summary>
/// <param name="Target">Loudness and true-peak target.</param>
/// <param name="Eq">Tonal-balance mode.</param>
/// <param name="Amount">Fraction (0..1) of every suggested EQ move that is applied.</param>
/// <param name="Compressor">Engage the gentle bus compressor before the limiter.</param>
public sealed record MasterSettings(LoudnessTarget Target, EqMode Eq = EqMode.Suggest, double Amount = 1.0, bool Compressor = false)
{
    /// <summary>The tonal reference; the balanced full-mix curve unless a caller sets another.</summary>
    public TonalTarget TonalReference { get; init; } = TonalTarget.FullMix;

    /// <summary>Suggestions from elsewhere (the learned EQ model) replace the rule-based ones when set.</summary>
    public Func<double[], TonalSuggestion>? SuggestEq { get; init; }

    /// <summary>The input's third-octave band levels when the caller measured them already (e.g. in
    /// parallel with other analysis); measured by the engine when null.</summary>
    public double[]? InputBandsDb { get; init; }

    /// <summary>More peak limiting than this is reported as a warning: the master is being squashed.</summary>
    public double LimitingWarningDb { get; init; } = 6.0;

    /// <summary>A gain chosen by the caller instead of the gain search (album mastering: one gain for
    /// every track): the chain is rendered once at this gain, the limiter holding the ceiling, and
    /// the loudness lands where it lands. Null (default): search for the target.</summary>
    public double? FixedGainDb { get; init; }
}
