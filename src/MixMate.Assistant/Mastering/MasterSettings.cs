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
    /// <summary>The reference the tonal engine judges against; null: the mix's, or speech's when the
    /// programme is speech (<see cref="SpeechDetector"/>).</summary>
    public TonalReference? Reference { get; init; }

    /// <summary>The input's tonal profile when the caller measured it already; measured by the engine when null.</summary>
    public TonalProfile? InputProfile { get; init; }

    /// <summary>The speech check when the caller ran it already; run by the engine when null.</summary>
    public SpeechVerdict? Speech { get; init; }

    /// <summary>Suggestions from elsewhere replace the tonal engine's when set.</summary>
    public Func<double[], TonalSuggestion>? SuggestEq { get; init; }

    /// <summary>The input's third-octave band levels when the caller measured them already (e.g. in
    /// parallel with other analysis); measured by the engine when null.</summary>
    public double[]? InputBandsDb { get; init; }

    /// <summary>EQ bands the chain has room for; a reference match needs more than the tonal balance's
    /// few moves (one per third-octave band).</summary>
    public int EqBandCount { get; init; } = 8;

    /// <summary>Gain on the side signal before the dynamics stages, dB (a reference match's width); 0 leaves the width alone.</summary>
    public double SideGainDb { get; init; }

    /// <summary>More peak limiting than this is reported as a warning: the master is being squashed.</summary>
    public double LimitingWarningDb { get; init; } = 6.0;

    /// <summary>A gain chosen by the caller instead of the gain search (album mastering: one gain for
    /// every track): the chain is rendered once at this gain, the limiter holding the ceiling, and
    /// the loudness lands where it lands. Null (default): search for the target.</summary>
    public double? FixedGainDb { get; init; }

    /// <summary>Meter the renders' true peak (4×) for <see cref="MasterResult.OutputTruePeakDbtp"/>;
    /// false: that reads NaN and every render of the gain search saves the oversampling — for a
    /// caller that measures the delivered file itself (the CLI's delivery pass). The limiter holds
    /// the ceiling either way.</summary>
    public bool MeasuresOutputTruePeak { get; init; } = true;

    /// <summary>The limiter's character for the gain search (default transparent).</summary>
    public MixMate.Dsp.Dynamics.LimiterCharacter LimiterCharacter { get; init; }

    /// <summary>When the transparent limiter falls short of the loudness target because more gain
    /// stops paying, search again with the dense character and deliver that master if it gets
    /// closer (it says so). False: deliver the shortfall.</summary>
    public bool DenseLimiterWhenShort { get; init; } = true;
}
