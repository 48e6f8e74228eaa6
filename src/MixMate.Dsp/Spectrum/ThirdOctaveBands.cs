namespace MixMate.Dsp.Spectrum;

/// <summary>
/// The 31 ISO 266 preferred third-octave centre frequencies from 20 Hz to 20 kHz and their band
/// edges (exact base-2 edges fc·2^(±1/6), IEC 61260-1 §5.4), used for tonal-balance analysis,
/// EQ suggestions and plots.
/// </summary>
public static class ThirdOctaveBands
{
    /// <summary>Nominal centre frequencies (Hz) for labels.</summary>
    public static ReadOnlySpan<double> Nominal =>
    [
        20, 25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800,
        1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000,
    ];

    public static int Count => Nominal.Length;

    /// <summary>Exact base-2 centre of band <paramref name="index"/>: 1 kHz · 2^((index − 17)/3).</summary>
    public static double Centre(int index) => 1000.0 * Math.Pow(2.0, (index - 17) / 3.0);

    public static double LowerEdge(int index) => Centre(index) * Math.Pow(2.0, -1.0 / 6.0);

    public static double UpperEdge(int index) => Centre(index) * Math.Pow(2.0, 1.0 / 6.0);

    /// <summary>Index of the band containing <paramref name="frequency"/>, or −1 outside 20 Hz–20 kHz bands.</summary>
    public static int IndexOf(double frequency)
    {
        for (int i = 0; i < Count; i++)
        {
            if (frequency >= LowerEdge(i) && frequency < UpperEdge(i))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>[any thread] Band levels in dB from a one-sided power spectrum of bins 0..N/2
    /// (<paramref name="power"/>, spacing <paramref name="binHz"/>), exactly as
    /// <see cref="LongTermSpectrum.ThirdOctaveDb"/> reads its own spectrum: the bins inside each band;
    /// a band narrower than a bin takes the nearest bin's density times its width; −∞ where empty.</summary>
    public static void LevelsDb(ReadOnlySpan<double> power, double binHz, Span<double> levelsDb)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(binHz, 0);
        if (levelsDb.Length < Count)
        {
            throw new ArgumentException("Need room for 31 bands.", nameof(levelsDb));
        }

        double nyquist = (power.Length - 1) * binHz;
        for (int b = 0; b < Count; b++)
        {
            double low = LowerEdge(b);
            double high = UpperEdge(b);
            double sum = 0;
            bool any = false;
            for (int k = 1; k < power.Length; k++)
            {
                double f = k * binHz;
                if (f >= low && f < high)
                {
                    sum += power[k];
                    any = true;
                }
            }

            if (!any && high < nyquist)
            {
                int nearest = (int)Math.Round(Centre(b) / binHz);
                sum = nearest is > 0 && nearest < power.Length ? power[nearest] * ((high - low) / binHz) : 0;
                any = true;
            }

            levelsDb[b] = any ? Decibels.FromPower(sum) : double.NegativeInfinity;
        }
    }
}
