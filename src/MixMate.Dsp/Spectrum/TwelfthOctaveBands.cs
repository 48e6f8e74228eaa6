namespace MixMate.Dsp.Spectrum;

/// <summary>
/// A twelfth-octave analysis grid (121 bands, 19.7 Hz–20.2 kHz, band <c>4·b</c> centred on ISO
/// third-octave band <c>b</c>): four times finer than <see cref="ThirdOctaveBands"/>, fine enough to
/// see a narrow resonance (Q up to 8 spans about two bands) that a third-octave analysis smears
/// into its neighbours. Levels are read from a long-term power spectrum
/// (<see cref="LongTermSpectrum.PowerSpectrum"/>).
/// </summary>
public static class TwelfthOctaveBands
{
    /// <summary>Number of bands.</summary>
    public const int Count = 121;

    /// <summary>Index of the 1 kHz band.</summary>
    public const int ReferenceIndex = 68;

    /// <summary>[any thread] Exact base-2 centre of band <paramref name="index"/>: 1 kHz · 2^((index − 68)/12).</summary>
    public static double Centre(int index) => 1000.0 * Math.Pow(2.0, (index - ReferenceIndex) / 12.0);

    /// <summary>[any thread] Lower edge, centre · 2^(−1/24).</summary>
    public static double LowerEdge(int index) => Centre(index) * Math.Pow(2.0, -1.0 / 24.0);

    /// <summary>[any thread] Upper edge, centre · 2^(1/24).</summary>
    public static double UpperEdge(int index) => Centre(index) * Math.Pow(2.0, 1.0 / 24.0);

    /// <summary>[any thread] The fine band centred on third-octave band <paramref name="thirdOctaveIndex"/>.</summary>
    public static int FromThirdOctave(int thirdOctaveIndex) => 4 * thirdOctaveIndex;

    /// <summary>[any thread] Band levels in dB from a one-sided power spectrum of bins 0..N/2
    /// (<paramref name="power"/>, bin spacing <paramref name="binHz"/>): the sum of the bins inside
    /// each band; a band narrower than a bin takes the nearest bin's density times its width;
    /// bands reaching Nyquist or without energy get −∞.</summary>
    public static void LevelsDb(ReadOnlySpan<double> power, double binHz, Span<double> levelsDb)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(binHz, 0);
        if (levelsDb.Length < Count)
        {
            throw new ArgumentException("Need room for 121 bands.", nameof(levelsDb));
        }

        double nyquist = (power.Length - 1) * binHz;
        for (int b = 0; b < Count; b++)
        {
            double low = LowerEdge(b);
            double high = UpperEdge(b);
            if (high >= nyquist)
            {
                levelsDb[b] = double.NegativeInfinity;
                continue;
            }

            int first = Math.Max(1, (int)Math.Ceiling(low / binHz));
            double sum = 0;
            bool any = false;
            for (int k = first; k < power.Length && k * binHz < high; k++)
            {
                sum += power[k];
                any = true;
            }

            if (!any)
            {
                int nearest = (int)Math.Round(Centre(b) / binHz);
                sum = nearest > 0 && nearest < power.Length ? power[nearest] * ((high - low) / binHz) : 0;
            }

            levelsDb[b] = sum > 0 ? 10.0 * Math.Log10(sum) : double.NegativeInfinity;
        }
    }
}
