using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Balance;

/// <summary>
/// How loud a track is when it plays. A crash that sounds twice in a song, or a vocal that enters
/// in the second verse, is judged by its hits and phrases, not by the silence around them.
/// </summary>
/// <remarks>
/// Built on the gating blocks of ITU-R BS.1770-4 Annex 1 §5.1 (400 ms, hop 100 ms, K-weighted,
/// channel-weighted mean square). <see cref="Lufs"/> is the power mean of the blocks within
/// <see cref="ActiveLoudnessMeasure.RelativeWindowLu"/> of the loudest block and above the −70 LUFS
/// absolute gate: a relative gate anchored to the maximum instead of to the mean, so the share of
/// the track that is silent does not move it. <see cref="IntegratedLufs"/> is the standard gated
/// integrated loudness (−70 LUFS absolute, −10 LU relative to the gated mean, §5.2) of the same
/// blocks, kept for comparison and for the "everything equally loud" baseline.
/// </remarks>
/// <param name="Lufs">Active loudness, LUFS; −∞ for a silent track.</param>
/// <param name="IntegratedLufs">BS.1770-4 gated integrated loudness, LUFS; −∞ for silence.</param>
/// <param name="MaxMomentaryLufs">Loudest 400 ms block, LUFS; −∞ for silence.</param>
/// <param name="ActiveFraction">Share of the blocks counted as active, 0..1.</param>
/// <param name="DurationSeconds">Length of the track.</param>
public readonly record struct ActiveLoudness(double Lufs, double IntegratedLufs, double MaxMomentaryLufs, double ActiveFraction, double DurationSeconds)
{
    /// <summary>True when no block reaches the −70 LUFS absolute gate.</summary>
    public bool IsSilent => !double.IsFinite(Lufs);

    /// <summary>[any thread] The same track with <paramref name="gainDb"/> applied (levels move by the gain; shares do not).</summary>
    public ActiveLoudness WithGain(double gainDb) =>
        this with { Lufs = Lufs + gainDb, IntegratedLufs = IntegratedLufs + gainDb, MaxMomentaryLufs = MaxMomentaryLufs + gainDb };
}

/// <summary>Measures <see cref="ActiveLoudness"/>.</summary>
public static class ActiveLoudnessMeasure
{
    /// <summary>Blocks this far below the loudest block still count as the track playing (LU).
    /// 20 LU keeps soft verses and decays of a part while dropping bleed, reverb tails and
    /// count-ins; the EBU Tech 3342 loudness range uses the same 20 LU relative gate.</summary>
    public const double RelativeWindowLu = 20;

    /// <summary>BS.1770-4 absolute gate, LUFS.</summary>
    public const double AbsoluteGateLufs = Bs1770.AbsoluteGateLufs;

    private const double StepSeconds = Bs1770.StepSeconds;
    private const int StepsPerBlock = 4;

    /// <summary>[any thread but the audio thread] Measures <paramref name="audio"/> (any channel
    /// count the BS.1770 weights cover; a mono track is measured as mono, which equals its
    /// loudness when placed in the centre of a stereo mix with a −3 dB pan law).</summary>
    public static ActiveLoudness Measure(AudioBlock audio, double sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        double duration = audio.Frames / sampleRate;
        if (audio.Channels == 0 || audio.Frames == 0)
        {
            return new ActiveLoudness(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, 0, duration);
        }

        var filter = new KWeightingFilter();
        filter.Configure(sampleRate, audio.Channels);
        double[] weights = LoudnessMeter.DefaultChannelWeights(audio.Channels);
        int stepFrames = (int)Math.Round(sampleRate * StepSeconds);
        int steps = audio.Frames / stepFrames;
        var stepEnergy = new double[Math.Max(steps, 1)];
        if (steps == 0)
        {
            // Shorter than one step: the partial window is all there is.
            stepEnergy[0] = WeightedMeanSquare(filter, audio, weights, 0, audio.Frames);
        }
        else
        {
            for (int s = 0; s < steps; s++)
            {
                stepEnergy[s] = WeightedMeanSquare(filter, audio, weights, s * stepFrames, stepFrames);
            }
        }

        // 400 ms blocks every 100 ms; a track shorter than one block is one partial block.
        int blocks = Math.Max(1, stepEnergy.Length - StepsPerBlock + 1);
        int span = Math.Min(StepsPerBlock, stepEnergy.Length);
        var blockEnergy = new double[blocks];
        double loudest = 0;
        for (int b = 0; b < blocks; b++)
        {
            double sum = 0;
            for (int k = 0; k < span; k++)
            {
                sum += stepEnergy[b + k];
            }

            blockEnergy[b] = sum / span;
            loudest = Math.Max(loudest, blockEnergy[b]);
        }

        double absoluteGate = LufsToEnergy(AbsoluteGateLufs);
        if (loudest < absoluteGate)
        {
            return new ActiveLoudness(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, 0, duration);
        }

        double activeGate = Math.Max(absoluteGate, loudest * Math.Pow(10, -RelativeWindowLu / 10));
        (double activeMean, int activeCount) = MeanAbove(blockEnergy, activeGate);

        // BS.1770-4 §5.2: absolute gate, then −10 LU below the mean of the blocks that passed it.
        (double gatedMean, _) = MeanAbove(blockEnergy, absoluteGate);
        (double integrated, _) = MeanAbove(blockEnergy, Math.Max(absoluteGate, gatedMean * Bs1770.RelativeGateRatio));

        return new ActiveLoudness(
            EnergyToLufs(activeMean),
            EnergyToLufs(integrated),
            EnergyToLufs(loudest),
            activeCount / (double)blocks,
            duration);
    }

    /// <summary>BS.1770-4 eq. 2: L = −0.691 + 10·log10(z).</summary>
    internal static double EnergyToLufs(double energy) => Bs1770.EnergyToLufs(energy);

    internal static double LufsToEnergy(double lufs) => Bs1770.LufsToEnergy(lufs);

    private static double WeightedMeanSquare(KWeightingFilter filter, AudioBlock audio, double[] weights, int start, int frames)
    {
        double sum = 0;
        for (int c = 0; c < audio.Channels; c++)
        {
            sum += weights[c] * filter.ProcessSumOfSquares(c, audio[c].Slice(start, frames));
        }

        return sum / frames;
    }

    private static (double Mean, int Count) MeanAbove(double[] energies, double gate)
    {
        double sum = 0;
        int count = 0;
        foreach (double e in energies)
        {
            if (e >= gate)
            {
                sum += e;
                count++;
            }
        }

        return (count > 0 ? sum / count : 0, count);
    }
}
