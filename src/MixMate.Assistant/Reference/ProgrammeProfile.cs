using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Reference;

/// <summary>
/// What a reference match compares between two programmes: the long-term third-octave spectrum,
/// a finer log-frequency power grid for predicting what an EQ curve does to each band, the
/// loudness figures and the stereo width. Measured by <see cref="ProgrammeAnalyzer"/>.
/// </summary>
/// <param name="Name">What the user calls it (the file name).</param>
/// <param name="SampleRate">Its sample rate, Hz.</param>
/// <param name="Channels">Its channel count.</param>
/// <param name="DurationSeconds">Its length.</param>
/// <param name="BandsDb">Absolute level per ISO third-octave band (31, 20 Hz–20 kHz), dB; −∞ where empty or above Nyquist.</param>
/// <param name="Grid">Power on a 1/24-octave grid (for predicting EQ results per band).</param>
/// <param name="IntegratedLufs">Integrated loudness (BS.1770), −∞ when silent.</param>
/// <param name="LoudnessRangeLu">Loudness range (EBU Tech 3342).</param>
/// <param name="TruePeakDbtp">True peak.</param>
/// <param name="WidthDb">Side-to-mid energy ratio, dB (null for mono).</param>
public sealed record ProgrammeProfile(
    string Name,
    double SampleRate,
    int Channels,
    double DurationSeconds,
    double[] BandsDb,
    SpectrumGrid Grid,
    double IntegratedLufs,
    double LoudnessRangeLu,
    double TruePeakDbtp,
    double? WidthDb)
{
    /// <summary>[any-thread] The band shape: levels relative to the median of the bands that carry
    /// programme between 45 Hz and 17 kHz (the same offset the match removes), −∞ kept.</summary>
    public double[] ShapeDb() => TonalShape.Relative(BandsDb, SampleRate);
}

/// <summary>
/// Long-term power on a log-frequency grid of <see cref="CellsPerOctave"/> cells per octave from
/// the lower edge of the 20 Hz band to the upper edge of the 20 kHz band (or Nyquist): fine enough
/// that a third-octave EQ band's shape inside a measurement band is resolved.
/// </summary>
/// <param name="FrequenciesHz">Centre of each cell.</param>
/// <param name="Power">Mean power in each cell (linear, summed over channels).</param>
/// <param name="Band">The third-octave band each cell belongs to.</param>
public sealed record SpectrumGrid(double[] FrequenciesHz, double[] Power, int[] Band)
{
    /// <summary>Cells per octave.</summary>
    public const int CellsPerOctave = 24;

    /// <summary>[any-thread] Builds the grid from a one-sided power spectrum (bins 0..N/2).</summary>
    public static SpectrumGrid FromPowerSpectrum(ReadOnlySpan<double> power, double sampleRate, int fftSize)
    {
        double low = ThirdOctaveBands.LowerEdge(0);
        double high = Math.Min(ThirdOctaveBands.UpperEdge(ThirdOctaveBands.Count - 1), sampleRate / 2);
        int cells = Math.Max(1, (int)Math.Floor(Math.Log2(high / low) * CellsPerOctave));
        var frequencies = new double[cells];
        var cellPower = new double[cells];
        var band = new int[cells];
        double binHz = sampleRate / fftSize;
        for (int c = 0; c < cells; c++)
        {
            double lo = low * Math.Pow(2, (double)c / CellsPerOctave);
            double hi = low * Math.Pow(2, (double)(c + 1) / CellsPerOctave);
            double centre = Math.Sqrt(lo * hi);
            frequencies[c] = centre;
            band[c] = Math.Max(0, ThirdOctaveBands.IndexOf(centre));
            int first = (int)Math.Ceiling(lo / binHz), last = (int)Math.Ceiling(hi / binHz) - 1;
            double sum = 0;
            for (int k = Math.Max(1, first); k <= last && k < power.Length; k++)
            {
                sum += power[k];
            }

            if (last < first)
            {
                // A cell narrower than one bin takes its share of the nearest bin.
                int nearest = Math.Clamp((int)Math.Round(centre / binHz), 1, power.Length - 1);
                sum = power[nearest] * ((hi - lo) / binHz);
            }

            cellPower[c] = sum;
        }

        return new SpectrumGrid(frequencies, cellPower, band);
    }
}
