using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Reference;

/// <summary>
/// Matches dynamics offline by slow gain riding: every 100 ms the programme's short-term
/// loudness S(t) (3 s window, BS.1770 / EBU Tech 3341) is pulled toward its integrated loudness I
/// by g(t) = (ratio − 1)·(S(t) − I), so the distribution of short-term values — and with it the
/// loudness range (EBU Tech 3342), the spread of those values — scales by about
/// <c>ratio</c>. The gain is bounded to ±<see cref="MaxGainDb"/>, centred on the window (the
/// 3 s short-term value describes the 1.5 s before and after), smoothed and interpolated per
/// sample, so it rides phrases and sections, never transients.
/// </summary>
public static class LoudnessRangeShaper
{
    /// <summary>Largest gain either way, dB.</summary>
    public const double MaxGainDb = 6;

    /// <summary>[non-real-time] Applies the riding to <paramref name="block"/> in place.</summary>
    /// <param name="block">The programme.</param>
    /// <param name="sampleRate">Its rate.</param>
    /// <param name="integratedLufs">Its integrated loudness.</param>
    /// <param name="ratio">Factor on the loudness range (1 does nothing).</param>
    public static void Apply(AudioBlock block, double sampleRate, double integratedLufs, double ratio)
    {
        if (Math.Abs(ratio - 1) < 1e-3 || !double.IsFinite(integratedLufs) || block.Frames == 0)
        {
            return;
        }

        // Short-term loudness every 100 ms, at the window's centre.
        var recorder = new ShortTermRecorder();
        using (var meter = new LoudnessMeter { Observer = recorder, MeasuresRange = false })
        {
            meter.Configure(sampleRate, block.Channels, 65536);
            for (int start = 0; start < block.Frames; start += 65536)
            {
                meter.Process(block.Slice(start, Math.Min(65536, block.Frames - start)));
            }
        }

        List<(double Time, double Lufs)> steps = recorder.Steps;
        if (steps.Count == 0)
        {
            return;
        }

        // Gain per step; silence (below the relative gate) is left alone rather than pulled up.
        var gains = new double[steps.Count];
        for (int k = 0; k < steps.Count; k++)
        {
            double s = steps[k].Lufs;
            gains[k] = double.IsFinite(s) && s > integratedLufs - 20 ? Math.Clamp((ratio - 1) * (s - integratedLufs), -MaxGainDb, MaxGainDb) : 0;
        }

        // One second of smoothing (a centred moving average of 10 steps), then per-sample interpolation.
        var smooth = new double[gains.Length];
        for (int k = 0; k < gains.Length; k++)
        {
            double sum = 0;
            int count = 0;
            for (int j = Math.Max(0, k - 5); j <= Math.Min(gains.Length - 1, k + 5); j++)
            {
                sum += gains[j];
                count++;
            }

            smooth[k] = sum / count;
        }

        double stepSeconds = steps.Count > 1 ? steps[1].Time - steps[0].Time : 0.1;
        for (int i = 0; i < block.Frames; i++)
        {
            // Step k's window is centred 1.5 s before its end time.
            double t = (i / sampleRate) + 1.5 - steps[0].Time;
            double position = Math.Clamp(t / stepSeconds, 0, smooth.Length - 1);
            int k = (int)position;
            double frac = position - k;
            double db = k + 1 < smooth.Length ? smooth[k] + (frac * (smooth[k + 1] - smooth[k])) : smooth[k];
            float g = (float)Decibels.ToGain(db);
            for (int c = 0; c < block.Channels; c++)
            {
                block[c][i] *= g;
            }
        }
    }

    private sealed class ShortTermRecorder : ILoudnessObserver
    {
        public List<(double Time, double Lufs)> Steps { get; } = [];

        public void OnStep(double timeSeconds, double momentaryLufs, double shortTermLufs) => Steps.Add((timeSeconds, shortTermLufs));
    }
}
