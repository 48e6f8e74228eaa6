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
}
