using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Features;

/// <summary>
/// The 89 values the role model sees, computed exactly as <c>models/features.py</c> computes them
/// for training (a test holds the two to a golden vector). From a mono mix-down: 2048-point
/// periodic-Hann frames with hop 1024, power |X|²/(N·Σw²), 40 triangular HTK-mel bands
/// 30 Hz–min(16 kHz, fs/2). Frames within 60 dB of the loudest and above −90 dB are "active".
/// Layout: [0,40) mean band dB relative to the clip's mean level; [40,80) band dB standard
/// deviation; 80/81 mean/std of log2(centroid/1 kHz); 82 mean flatness dB (50 Hz–16 kHz);
/// 83 std of frame level dB; 84 mean positive spectral flux into active frames; 85 active
/// fraction; 86 mean log2(85 % roll-off/1 kHz); 87 mean negative spectral flux (decay);
/// 88 mean peakiness 10·log10(max/mean bin power). Level-independent by construction.
/// </summary>
public static class RoleFeatures
{
    /// <summary>Number of features.</summary>
    public const int Count = 89;

    /// <summary>Frame length in samples.</summary>
    public const int FrameSize = 2048;

    /// <summary>Hop between frames in samples.</summary>
    public const int Hop = 1024;

    /// <summary>Number of mel bands.</summary>
    public const int MelBands = 40;

    private const double Epsilon = 1e-12;
    private const double ActiveRangeDb = 60.0;
    private const double ActiveFloorDb = -90.0;

    /// <summary>
    /// [analysis thread] Computes the features of <paramref name="audio"/> into
    /// <paramref name="destination"/> (≥ <see cref="Count"/> values). Returns false, leaving the
    /// destination untouched, when no frame is active (digital silence or below −90 dB).
    /// Allocates working memory proportional to the length; not for the audio thread.
    /// </summary>
    public static bool Compute(AudioBlock audio, double sampleRate, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        if (destination.Length < Count)
        {
            throw new ArgumentException($"Need room for {Count} features.", nameof(destination));
        }

        double[] mono = MonoMixdown(audio);
        int bins = (FrameSize / 2) + 1;
        int frames = 1 + ((mono.Length - FrameSize) / Hop);
        double[,] power = FramePower(mono, frames);
        double[,] bank = MelFilterbank(sampleRate);

        // Each triangle covers a few bins; summing only those keeps a long track cheap.
        int[] firstBin = new int[MelBands];
        int[] lastBin = new int[MelBands];
        for (int m = 0; m < MelBands; m++)
        {
            firstBin[m] = bins;
            lastBin[m] = -1;
            for (int k = 0; k < bins; k++)
            {
                if (bank[m, k] > 0)
                {
                    firstBin[m] = Math.Min(firstBin[m], k);
                    lastBin[m] = k;
                }
            }
        }

        double[,] bandDb = new double[frames, MelBands];
        double[] energy = new double[frames];
        double[] level = new double[frames];
        double top = double.NegativeInfinity;
        for (int t = 0; t < frames; t++)
        {
            double e = 0;
            for (int k = 0; k < bins; k++)
            {
                e += power[t, k];
            }

            for (int m = 0; m < MelBands; m++)
            {
                double s = 0;
                for (int k = firstBin[m]; k <= lastBin[m]; k++)
                {
                    s += power[t, k] * bank[m, k];
                }

                bandDb[t, m] = 10.0 * Math.Log10(s + Epsilon);
            }

            energy[t] = e;
            level[t] = 10.0 * Math.Log10(e + Epsilon);
            top = Math.Max(top, level[t]);
        }

        bool[] active = new bool[frames];
        int activeCount = 0;
        double energySum = 0;
        for (int t = 0; t < frames; t++)
        {
            active[t] = level[t] > top - ActiveRangeDb && level[t] > ActiveFloorDb;
            if (active[t])
            {
                activeCount++;
                energySum += energy[t];
            }
        }

        if (activeCount == 0)
        {
            return false;
        }

        double reference = 10.0 * Math.Log10((energySum / activeCount) + Epsilon);
        Span<double> f = stackalloc double[Count];
        f.Clear();
        for (int m = 0; m < MelBands; m++)
        {
            double sum = 0;
            for (int t = 0; t < frames; t++)
            {
                if (active[t])
                {
                    sum += bandDb[t, m];
                }
            }

            double mean = sum / activeCount;
            double variance = 0;
            for (int t = 0; t < frames; t++)
            {
                if (active[t])
                {
                    variance += (bandDb[t, m] - mean) * (bandDb[t, m] - mean);
                }
            }

            f[m] = mean - reference;
            f[MelBands + m] = Math.Sqrt(variance / activeCount);
        }

        double nyquist = sampleRate / 2.0;
        double flatHigh = Math.Min(16000.0, nyquist);
        double[] logCentroid = new double[activeCount];
        double flatnessSum = 0;
        double rolloffSum = 0;
        double peakinessSum = 0;
        int a = 0;
        for (int t = 0; t < frames; t++)
        {
            if (!active[t])
            {
                continue;
            }

            double total = 0;
            double weighted = 0;
            for (int k = 1; k < bins; k++)
            {
                total += power[t, k];
                weighted += power[t, k] * k * sampleRate / FrameSize;
            }

            logCentroid[a++] = Math.Log2(Math.Max(weighted / (total + Epsilon), 1.0) / 1000.0);

            // Spectral flatness (Wiener entropy): geometric over arithmetic mean of the power.
            double logSum = 0;
            double linSum = 0;
            int n = 0;
            for (int k = 0; k < bins; k++)
            {
                double freq = k * sampleRate / FrameSize;
                if (freq >= 50.0 && freq <= flatHigh)
                {
                    double p = power[t, k] + Epsilon;
                    logSum += Math.Log(p);
                    linSum += p;
                    n++;
                }
            }

            flatnessSum += 10.0 * Math.Log10(Math.Exp(logSum / n) / (linSum / n));

            double threshold = 0.85 * total;
            double cumulative = 0;
            int rollBin = bins - 1;
            for (int k = 1; k < bins; k++)
            {
                cumulative += power[t, k];
                if (cumulative >= threshold)
                {
                    rollBin = k;
                    break;
                }
            }

            rolloffSum += Math.Log2(Math.Max(rollBin * sampleRate / FrameSize, 1.0) / 1000.0);

            // Peakiness: a tonal frame concentrates its power in a few bins.
            double maxBin = 0;
            for (int k = 1; k < bins; k++)
            {
                maxBin = Math.Max(maxBin, power[t, k] + Epsilon);
            }

            peakinessSum += 10.0 * Math.Log10(maxBin / ((total / (bins - 1)) + Epsilon));
        }

        (f[80], f[81]) = MeanStd(logCentroid);
        f[82] = flatnessSum / activeCount;

        double[] activeLevels = new double[activeCount];
        a = 0;
        for (int t = 0; t < frames; t++)
        {
            if (active[t])
            {
                activeLevels[a++] = level[t];
            }
        }

        f[83] = MeanStd(activeLevels).Std;

        double fluxSum = 0;
        double fallSum = 0;
        int fluxCount = 0;
        for (int t = 1; t < frames; t++)
        {
            if (!active[t])
            {
                continue;
            }

            double rise = 0;
            double fall = 0;
            for (int m = 0; m < MelBands; m++)
            {
                rise += Math.Max(0.0, bandDb[t, m] - bandDb[t - 1, m]);
                fall += Math.Max(0.0, bandDb[t - 1, m] - bandDb[t, m]);
            }

            fluxSum += rise / MelBands;
            fallSum += fall / MelBands;
            fluxCount++;
        }

        f[84] = fluxCount > 0 ? fluxSum / fluxCount : 0.0;
        f[85] = (double)activeCount / frames;
        f[86] = rolloffSum / activeCount;
        f[87] = fluxCount > 0 ? fallSum / fluxCount : 0.0;
        f[88] = peakinessSum / activeCount;

        for (int i = 0; i < Count; i++)
        {
            destination[i] = (float)f[i];
        }

        return true;
    }

    /// <summary>[any thread] Triangular HTK-mel filterbank over the frame's bins, shape [40, N/2+1].</summary>
    public static double[,] MelFilterbank(double sampleRate)
    {
        double fmax = Math.Min(16000.0, sampleRate / 2.0);
        double melLow = HzToMel(30.0);
        double melHigh = HzToMel(fmax);
        double[] edges = new double[MelBands + 2];
        for (int i = 0; i < edges.Length; i++)
        {
            // Same point spacing as numpy.linspace.
            double mel = melLow + ((melHigh - melLow) * i / (MelBands + 1));
            edges[i] = MelToHz(i == edges.Length - 1 ? melHigh : mel);
        }

        int bins = (FrameSize / 2) + 1;
        double[,] bank = new double[MelBands, bins];
        for (int b = 0; b < MelBands; b++)
        {
            double lo = edges[b];
            double centre = edges[b + 1];
            double hi = edges[b + 2];
            for (int k = 0; k < bins; k++)
            {
                double freq = k * sampleRate / FrameSize;
                double up = (freq - lo) / (centre - lo);
                double down = (hi - freq) / (hi - centre);
                bank[b, k] = Math.Max(0.0, Math.Min(up, down));
            }
        }

        return bank;
    }

    private static double HzToMel(double hz) => 2595.0 * Math.Log10(1.0 + (hz / 700.0));

    private static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    private static double[] MonoMixdown(AudioBlock audio)
    {
        int length = Math.Max(audio.Frames, FrameSize);
        double[] mono = new double[length];
        if (audio.Channels == 0)
        {
            return mono;
        }

        for (int c = 0; c < audio.Channels; c++)
        {
            Span<float> channel = audio[c];
            for (int i = 0; i < audio.Frames; i++)
            {
                mono[i] += channel[i];
            }
        }

        double scale = 1.0 / audio.Channels;
        for (int i = 0; i < audio.Frames; i++)
        {
            mono[i] *= scale;
        }

        return mono;
    }

    private static double[,] FramePower(double[] mono, int frames)
    {
        var fft = new Fft(FrameSize);
        double[] window = new double[FrameSize];
        double windowPower = 0;
        for (int n = 0; n < FrameSize; n++)
        {
            window[n] = 0.5 - (0.5 * Math.Cos(2.0 * Math.PI * n / FrameSize));
            windowPower += window[n] * window[n];
        }

        double norm = FrameSize * windowPower;
        int bins = (FrameSize / 2) + 1;
        double[,] power = new double[frames, bins];
        double[] real = new double[FrameSize];
        double[] imaginary = new double[FrameSize];
        for (int t = 0; t < frames; t++)
        {
            for (int n = 0; n < FrameSize; n++)
            {
                real[n] = mono[(t * Hop) + n] * window[n];
                imaginary[n] = 0;
            }

            fft.Forward(real, imaginary);
            for (int k = 0; k < bins; k++)
            {
                power[t, k] = ((real[k] * real[k]) + (imaginary[k] * imaginary[k])) / norm;
            }
        }

        return power;
    }

    private static (double Mean, double Std) MeanStd(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        double mean = sum / values.Length;
        double variance = 0;
        foreach (double v in values)
        {
            variance += (v - mean) * (v - mean);
        }

        return (mean, Math.Sqrt(variance / values.Length));
    }
}
