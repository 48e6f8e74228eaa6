using MixMate.Dsp;

namespace MixMate.TestSupport;

/// <summary>
/// Synthetic test signals, generated from their published definitions so no audio files are
/// needed: sines, the EBU Tech 3341 / Tech 3342 minimum-requirements sequences, and seeded
/// white and pink noise. All signals are planar (<c>float[channel][frame]</c>).
/// </summary>
public static class Signals
{
    /// <summary>Frequency of the EBU reference tone ("stereo sine wave, 1000 Hz", Tech 3341 Table 1).</summary>
    public const double EbuToneHz = 1000.0;

    /// <summary>A sine of peak <paramref name="amplitude"/> (linear), phase in radians at frame 0.</summary>
    public static float[] Sine(double sampleRate, double frequency, double amplitude, int frames, double phaseRadians = 0)
    {
        var x = new float[frames];
        double w = 2 * Math.PI * frequency / sampleRate;
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(w * i + phaseRadians));
        }

        return x;
    }

    /// <summary>Frames in <paramref name="seconds"/> at <paramref name="sampleRate"/>, rounded.</summary>
    public static int Frames(double sampleRate, double seconds) => (int)Math.Round(seconds * sampleRate);

    /// <summary>
    /// A 1 kHz tone whose per-channel peak level follows <paramref name="segments"/>
    /// (duration in seconds, level in dBFS; <see cref="double.NegativeInfinity"/> for silence).
    /// The sine runs continuously in phase; segment edges fall on the nearest frame of the
    /// cumulative time, so lengths do not drift.
    /// </summary>
    public static float[] ToneSequence(double sampleRate, params (double Seconds, double Dbfs)[] segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        double total = 0;
        foreach (var s in segments)
        {
            total += s.Seconds;
        }

        var x = new float[Frames(sampleRate, total)];
        double w = 2 * Math.PI * EbuToneHz / sampleRate;
        double t = 0;
        foreach (var (seconds, dbfs) in segments)
        {
            int start = Frames(sampleRate, t);
            t += seconds;
            int end = Math.Min(Frames(sampleRate, t), x.Length);
            double a = double.IsNegativeInfinity(dbfs) ? 0 : Decibels.ToGain(dbfs);
            for (int i = start; i < end; i++)
            {
                x[i] = (float)(a * Math.Sin(w * i));
            }
        }

        return x;
    }

    /// <summary>The same signal in every one of <paramref name="channels"/> channels
    /// ("applied in phase to both channels simultaneously").</summary>
    public static float[][] InPhase(float[] mono, int channels = 2)
    {
        var result = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            result[c] = (float[])mono.Clone();
        }

        return result;
    }

    /// <summary>
    /// EBU Tech 3341 (2023) Table 1, synthetic cases 1–6, 9, 12 and 15–19, as defined there.
    /// Cases 10, 11, 13 and 14 have their own generators; 7, 8 and 20–23 are programme material
    /// or resampled signals and are not synthesised here.
    /// </summary>
    public static float[][] Tech3341(int testCase, double sampleRate) => testCase switch
    {
        1 => InPhase(ToneSequence(sampleRate, (20, -23))),
        2 => InPhase(ToneSequence(sampleRate, (20, -33))),
        3 => InPhase(ToneSequence(sampleRate, (10, -36), (60, -23), (10, -36))),
        4 => InPhase(ToneSequence(sampleRate, (10, -72), (10, -36), (60, -23), (10, -36), (10, -72))),
        5 => InPhase(ToneSequence(sampleRate, (20, -26), (20.1, -20), (20, -26))),
        6 =>
        [
            ToneSequence(sampleRate, (20, -28)), // L
            ToneSequence(sampleRate, (20, -28)), // R
            ToneSequence(sampleRate, (20, -24)), // C
            ToneSequence(sampleRate, (20, -30)), // Ls
            ToneSequence(sampleRate, (20, -30)), // Rs
        ],
        9 => InPhase(ToneSequence(sampleRate, Repeat(5, (1.34, -20), (1.66, -30)))),
        12 => InPhase(ToneSequence(sampleRate, Repeat(25, (0.18, -20), (0.22, -30)))),
        15 => InPhase(TaperedSine(sampleRate, sampleRate / 4, 0.50, 0.0)),
        16 => InPhase(TaperedSine(sampleRate, sampleRate / 4, 0.50, 45.0)),
        17 => InPhase(TaperedSine(sampleRate, sampleRate / 6, 0.50, 60.0)),
        18 => InPhase(TaperedSine(sampleRate, sampleRate / 8, 0.50, 67.5)),
        19 => InPhase(TaperedSine(sampleRate, sampleRate / 4, 1.41, 45.0)),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase, "Not a synthetic Tech 3341 case with a single signal."),
    };

    /// <summary>Tech 3341 case 10, segment <paramref name="i"/> (0–19), a file of its own:
    /// i × 0.15 s silence; 3 s at −23 dBFS; 1 s silence.</summary>
    public static float[][] Tech3341Case10(int i, double sampleRate) =>
        InPhase(ToneSequence(sampleRate, (i * 0.15, double.NegativeInfinity), (3, -23), (1, double.NegativeInfinity)));

    /// <summary>Tech 3341 case 13, segment <paramref name="i"/> (0–19):
    /// i × 20 ms silence; 400 ms at −23 dBFS; 1 s silence.</summary>
    public static float[][] Tech3341Case13(int i, double sampleRate) =>
        InPhase(ToneSequence(sampleRate, (i * 0.02, double.NegativeInfinity), (0.4, -23), (1, double.NegativeInfinity)));

    /// <summary>Tech 3341 case 11 (one "live" file): for i = 0…19, i × 0.15 s silence, 3 s at
    /// −38 + i dBFS, 3 − i × 0.15 s silence. Segment i spans [6 i, 6 i + 6) s.</summary>
    public static float[][] Tech3341Case11(double sampleRate)
    {
        var segments = new List<(double, double)>();
        for (int i = 0; i < 20; i++)
        {
            segments.Add((i * 0.15, double.NegativeInfinity));
            segments.Add((3, -38 + i));
            segments.Add((3 - i * 0.15, double.NegativeInfinity));
        }

        return InPhase(ToneSequence(sampleRate, [.. segments]));
    }

    /// <summary>Tech 3341 case 14: for i = 0…19, i × 20 ms silence, 400 ms at −38 + i dBFS,
    /// 400 − i × 20 ms silence. Segment i spans [0.8 i, 0.8 i + 0.8) s.</summary>
    public static float[][] Tech3341Case14(double sampleRate)
    {
        var segments = new List<(double, double)>();
        for (int i = 0; i < 20; i++)
        {
            segments.Add((i * 0.02, double.NegativeInfinity));
            segments.Add((0.4, -38 + i));
            segments.Add((0.4 - i * 0.02, double.NegativeInfinity));
        }

        return InPhase(ToneSequence(sampleRate, [.. segments]));
    }

    /// <summary>EBU Tech 3342 (2023) Table 1, cases 1–4: stereo 1 kHz tones of 20 s each,
    /// one after the other, at the listed levels.</summary>
    public static float[][] Tech3342(int testCase, double sampleRate) => testCase switch
    {
        1 => InPhase(ToneSequence(sampleRate, (20, -20), (20, -30))),
        2 => InPhase(ToneSequence(sampleRate, (20, -20), (20, -15))),
        3 => InPhase(ToneSequence(sampleRate, (20, -40), (20, -20))),
        4 => InPhase(ToneSequence(sampleRate, (20, -50), (20, -35), (20, -20), (20, -35), (20, -50))),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase, "Tech 3342 synthetic cases are 1–4."),
    };

    /// <summary>Tech 3341 cases 15–19 shape: a sine of <paramref name="frequency"/> and peak
    /// <paramref name="amplitude"/> (fraction of full scale), starting phase in degrees, 1 s long,
    /// with 10 ms raised-cosine fade-in and fade-out.</summary>
    public static float[] TaperedSine(double sampleRate, double frequency, double amplitude, double phaseDegrees, double seconds = 1.0)
    {
        int n = Frames(sampleRate, seconds);
        var x = Sine(sampleRate, frequency, amplitude, n, phaseDegrees * Math.PI / 180);
        int fade = Frames(sampleRate, 0.010);
        for (int i = 0; i < fade; i++)
        {
            float g = (float)(0.5 - 0.5 * Math.Cos(Math.PI * i / fade));
            x[i] *= g;
            x[n - 1 - i] *= g;
        }

        return x;
    }

    /// <summary>Uniform white noise in [−amplitude, amplitude) from a fixed seed.</summary>
    public static float[] WhiteNoise(int frames, double amplitude, int seed = 1)
    {
        var random = new Random(seed);
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(amplitude * (2 * random.NextDouble() - 1));
        }

        return x;
    }

    /// <summary>Pink (−3 dB/octave) noise from a fixed seed: white noise through a sum of
    /// first-order low-passes spaced an octave apart (Voss-style, equal power per octave),
    /// normalised to the given peak <paramref name="amplitude"/>.</summary>
    public static float[] PinkNoise(int frames, double amplitude, int seed = 1)
    {
        var random = new Random(seed);
        const int Octaves = 12;
        Span<double> state = stackalloc double[Octaves];
        Span<double> coefficient = stackalloc double[Octaves];
        Span<double> gain = stackalloc double[Octaves];
        for (int k = 0; k < Octaves; k++)
        {
            // Corner frequencies an octave apart; 1/√a gives each band the same total power,
            // so the sum falls at 3 dB per octave.
            coefficient[k] = Math.Pow(0.5, k + 1);
            gain[k] = 1 / Math.Sqrt(coefficient[k]);
        }

        var y = new double[frames];
        double peak = 0;
        for (int i = 0; i < frames; i++)
        {
            double sum = 0;
            for (int k = 0; k < Octaves; k++)
            {
                state[k] += coefficient[k] * ((2 * random.NextDouble() - 1) - state[k]);
                sum += state[k] * gain[k];
            }

            y[i] = sum;
            peak = Math.Max(peak, Math.Abs(sum));
        }

        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(amplitude * y[i] / peak);
        }

        return x;
    }

    /// <summary>Copies planar channels into one contiguous buffer (stride = frame count), the
    /// layout <see cref="AudioBlock"/>'s two-argument constructor expects.</summary>
    public static float[] ToPlanarBuffer(float[][] channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        int frames = channels.Length == 0 ? 0 : channels[0].Length;
        var buffer = new float[channels.Length * frames];
        for (int c = 0; c < channels.Length; c++)
        {
            channels[c].AsSpan(0, frames).CopyTo(buffer.AsSpan(c * frames));
        }

        return buffer;
    }

    private static (double, double)[] Repeat(int times, params (double, double)[] pattern)
    {
        var result = new (double, double)[times * pattern.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = pattern[i % pattern.Length];
        }

        return result;
    }
}
