using MixMate.Dsp;

namespace MixMate.TestSupport;

/// <summary>What libebur128 measures for one signal. Levels in LUFS/dB, −∞ where there is nothing
/// to report (silence; LRA is 0 when undefined, as libebur128 reports it).</summary>
public sealed record ReferenceLoudness(
    double IntegratedLufs,
    double LoudnessRangeLu,
    double TruePeakDbtp,
    double SamplePeakDbfs,
    double MaxMomentaryLufs,
    double MaxShortTermLufs,
    double DurationSeconds);

/// <summary>
/// Measures signals with libebur128 in all modes, tracking the maximum momentary and short-term
/// loudness every 100 ms (the gating-block hop of ITU-R BS.1770-4 §2.8 / EBU Tech 3341 §2.3).
/// Channel roles follow BS.1770-4 Annex 1 Table 3 for MixMate's layouts: mono; L R; L R C;
/// L R Ls Rs; L R C Ls Rs; and L R C LFE Ls Rs where the LFE is excluded; surrounds weigh 1.41.
/// </summary>
public static class Ebur128Reference
{
    /// <summary>[any thread] Measures interleaved float audio.</summary>
    public static unsafe ReferenceLoudness Measure(ReadOnlySpan<float> interleaved, int channels, double sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        const int Mode = Ebur128.ModeI | Ebur128.ModeLra | Ebur128.ModeTruePeak | Ebur128.ModeSamplePeak | Ebur128.ModeS;
        nint state = Ebur128.Init((uint)channels, (nuint)Math.Round(sampleRate), Mode);
        if (state == 0)
        {
            throw new InvalidOperationException($"ebur128_init({channels}, {sampleRate}) failed.");
        }

        try
        {
            int[] roles = channels switch
            {
                1 => [Ebur128.Center],
                2 => [Ebur128.Left, Ebur128.Right],
                3 => [Ebur128.Left, Ebur128.Right, Ebur128.Center],
                4 => [Ebur128.Left, Ebur128.Right, Ebur128.LeftSurround, Ebur128.RightSurround],
                5 => [Ebur128.Left, Ebur128.Right, Ebur128.Center, Ebur128.LeftSurround, Ebur128.RightSurround],
                6 => [Ebur128.Left, Ebur128.Right, Ebur128.Center, Ebur128.Unused, Ebur128.LeftSurround, Ebur128.RightSurround],
                _ => throw new ArgumentOutOfRangeException(nameof(channels), "Layouts of 1 to 6 channels only."),
            };
            for (int c = 0; c < channels; c++)
            {
                Check(Ebur128.SetChannel(state, (uint)c, roles[c]), "ebur128_set_channel");
            }

            long frames = interleaved.Length / channels;
            int hop = (int)Math.Round(sampleRate / 10);
            double maxMomentary = double.NegativeInfinity;
            double maxShortTerm = double.NegativeInfinity;
            long done = 0;
            fixed (float* samples = interleaved)
            {
                while (done < frames)
                {
                    int count = (int)Math.Min(hop, frames - done);
                    Check(Ebur128.AddFramesFloat(state, samples + (done * channels), (nuint)count), "ebur128_add_frames_float");
                    done += count;
                    if (count < hop)
                    {
                        break;
                    }

                    // Windows are only complete after 400 ms / 3 s; before that libebur128 averages
                    // zeros that were never part of the signal.
                    if (done >= 4 * hop)
                    {
                        Check(Ebur128.LoudnessMomentary(state, out double m), "ebur128_loudness_momentary");
                        maxMomentary = Math.Max(maxMomentary, m);
                    }

                    if (done >= 30 * hop)
                    {
                        Check(Ebur128.LoudnessShortTerm(state, out double s), "ebur128_loudness_shortterm");
                        maxShortTerm = Math.Max(maxShortTerm, s);
                    }
                }
            }

            Check(Ebur128.LoudnessGlobal(state, out double integrated), "ebur128_loudness_global");
            Check(Ebur128.LoudnessRange(state, out double range), "ebur128_loudness_range");
            double truePeak = 0;
            double samplePeak = 0;
            for (int c = 0; c < channels; c++)
            {
                Check(Ebur128.TruePeak(state, (uint)c, out double tp), "ebur128_true_peak");
                Check(Ebur128.SamplePeak(state, (uint)c, out double sp), "ebur128_sample_peak");
                truePeak = Math.Max(truePeak, tp);
                samplePeak = Math.Max(samplePeak, sp);
            }

            return new ReferenceLoudness(
                integrated,
                range,
                Decibels.FromGain(truePeak),
                Decibels.FromGain(samplePeak),
                maxMomentary,
                maxShortTerm,
                frames / sampleRate);
        }
        finally
        {
            Ebur128.Destroy(ref state);
        }
    }

    /// <summary>[any thread] Measures a planar block (deinterleaved here).</summary>
    public static ReferenceLoudness Measure(AudioBlock block, double sampleRate)
    {
        float[] interleaved = new float[block.Channels * block.Frames];
        for (int c = 0; c < block.Channels; c++)
        {
            Span<float> channel = block[c];
            for (int i = 0; i < block.Frames; i++)
            {
                interleaved[(i * block.Channels) + c] = channel[i];
            }
        }

        return Measure(interleaved, block.Channels, sampleRate);
    }

    /// <summary>[any thread] Measures an audio file decoded by libsndfile (independently of
    /// MixMate's reader).</summary>
    public static ReferenceLoudness Measure(string path)
    {
        (float[] samples, int channels, int sampleRate) = ReferenceAudioFile.ReadInterleaved(path);
        return Measure(samples, channels, sampleRate);
    }

    private static void Check(int status, string call)
    {
        if (status != Ebur128.Success)
        {
            throw new InvalidOperationException($"{call} returned {status}.");
        }
    }
}
