using MixMate.Assistant.Eq;
using MixMate.Assistant.Loudness;

namespace MixMate.Assistant.Mastering;

/// <summary>What the mastering engine did.</summary>
/// <param name="GainDb">Gain before the limiter that reached the target.</param>
/// <param name="Passes">Every render: gain tried and loudness reached (the last is the one delivered).</param>
/// <param name="MaxGainReductionDb">Largest limiter gain reduction of the delivered render (positive dB).</param>
/// <param name="MeanGainReductionDb">Mean limiter gain reduction over the programme (positive dB).</param>
/// <param name="SuggestedEq">Tonal-balance moves as suggested (before the amount).</param>
/// <param name="AppliedEq">Moves actually applied (after the amount); empty unless EQ mode is apply.</param>
/// <param name="TonalDeviationDb">Deviation from the tonal reference per third-octave band (dB), for plots; empty when EQ is off.</param>
/// <param name="InputBandsDb">Input long-term spectrum per third-octave band (dB), for plots; empty when EQ is off.</param>
/// <param name="OutputIntegratedLufs">Integrated loudness of the delivered render (our meter).</param>
/// <param name="OutputTruePeakDbtp">True peak of the delivered render (our meter); NaN when
/// <see cref="MasterSettings.MeasuresOutputTruePeak"/> is false.</param>
/// <param name="LatencySamples">Latency compensated during rendering.</param>
/// <param name="Warnings">Things the user should know, each a sentence.</param>
public sealed record MasterResult(
    double GainDb,
    IReadOnlyList<GainSearch.Step> Passes,
    double MaxGainReductionDb,
    double MeanGainReductionDb,
    IReadOnlyList<EqMove> SuggestedEq,
    IReadOnlyList<EqMove> AppliedEq,
    double[] TonalDeviationDb,
    double[] InputBandsDb,
    double OutputIntegratedLufs,
    double OutputTruePeakDbtp,
    int LatencySamples,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Linear trim applied to the delivered render after the limiter, dB (≤ 0; 0 when the
    /// render landed on the target by itself): see <see cref="MasteringEngine"/>.</summary>
    public double OutputTrimDb { get; init; }

    /// <summary>Set when the master lands more than <see cref="MasteringEngine.ShortfallLu"/> under
    /// its loudness target: the loudness reached and why no more; null when the target was met.</summary>
    public LoudnessShortfall? Shortfall { get; init; }

    /// <summary>The limiter character of the delivered master.</summary>
    public MixMate.Dsp.Dynamics.LimiterCharacter LimiterCharacter { get; init; }

    /// <summary>When the dense character was used because the transparent one fell short: the
    /// loudness the transparent limiter reached, LUFS; null otherwise.</summary>
    public double? TransparentLufs { get; init; }

    /// <summary>The tonal engine's full answer (reference used, estimated fault, curve); null when EQ is off.</summary>
    public Tonal.TonalSuggestion? Tonal { get; init; }

    /// <summary>Whether the programme was judged as speech, and why; null when EQ is off or a caller supplied the moves.</summary>
    public Tonal.SpeechVerdict? Speech { get; init; }

    /// <summary>Length of one <see cref="GainReductionDb"/> step: the loudness meter's 100 ms hop
    /// (EBU Tech 3341 §2.3), so the curve lines up with the momentary and short-term curves.</summary>
    public double GainReductionStepSeconds { get; init; }

    /// <summary>Largest limiter gain reduction (positive dB) in each step of the delivered render,
    /// for plots; step k covers output time [k, k + 1) · <see cref="GainReductionStepSeconds"/>.</summary>
    public float[] GainReductionDb { get; init; } = [];
}
