using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Tonal;

/// <summary>
/// How clean material of one kind (a mix, speech, a role's stems) is plausibly balanced, on the
/// twelfth-octave grid: the mean of the smoothed, level-free long-term spectrum, how far clean
/// tracks spread around it (broad spread, one standard deviation per band), and how far a clean
/// track's spectrum ripples around its own smoothed shape (narrow spread). The fault finder acts
/// only on deviations beyond these spreads.
/// </summary>
public sealed class TonalReference
{
    private readonly double[] _meanDb;
    private readonly double[] _spreadDb;
    private readonly double[] _narrowSpreadDb;

    /// <summary>[any thread] A reference from its three curves (121 values each, <see cref="TwelfthOctaveBands"/>).</summary>
    /// <param name="name">What reasons and reports call it (<c>mix</c>, <c>speech</c>, a role).</param>
    /// <param name="meanDb">Mean smoothed level per band, any level offset.</param>
    /// <param name="spreadDb">Spread of clean tracks around the mean per band, dB (&gt; 0).</param>
    /// <param name="narrowSpreadDb">Ripple of clean tracks around their own smoothed spectrum per band, dB (&gt; 0).</param>
    /// <param name="examples">How many clean tracks it was learned from (0: defined by hand).</param>
    public TonalReference(string name, ReadOnlySpan<double> meanDb, ReadOnlySpan<double> spreadDb, ReadOnlySpan<double> narrowSpreadDb, int examples)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int n = TwelfthOctaveBands.Count;
        if (meanDb.Length != n || spreadDb.Length != n || narrowSpreadDb.Length != n)
        {
            throw new ArgumentException($"A tonal reference needs {n} values per curve.", nameof(meanDb));
        }

        Name = name;
        Examples = examples;
        _meanDb = meanDb.ToArray();
        _spreadDb = [.. spreadDb.ToArray().Select(s => double.IsFinite(s) ? Math.Max(s, 0.1) : 6.0)];
        _narrowSpreadDb = [.. narrowSpreadDb.ToArray().Select(s => double.IsFinite(s) ? Math.Max(s, 0.1) : 3.0)];
    }

    /// <summary>Name used in reasons and reports.</summary>
    public string Name { get; }

    /// <summary>Clean tracks it was learned from (0 when defined by hand or from one track).</summary>
    public int Examples { get; }

    /// <summary>Mean smoothed level per twelfth-octave band (relative; only its shape matters).</summary>
    public ReadOnlySpan<double> MeanDb => _meanDb;

    /// <summary>Spread of clean tracks around <see cref="MeanDb"/>, dB per band.</summary>
    public ReadOnlySpan<double> SpreadDb => _spreadDb;

    /// <summary>Ripple of a clean track around its own smoothed spectrum, dB per band.</summary>
    public ReadOnlySpan<double> NarrowSpreadDb => _narrowSpreadDb;

    /// <summary>[any thread] A reference from one track (e.g. a reference master the user picked):
    /// its smoothed spectrum as the mean, <paramref name="spreadDb"/> everywhere, and the narrow
    /// spread of <paramref name="like"/>.</summary>
    public static TonalReference FromTrack(string name, TonalProfile track, TonalReference like, double spreadDb = 1.0)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(like);
        double[] smoothed = FaultFinder.Smoothed(track);
        double[] spread = new double[smoothed.Length];
        Array.Fill(spread, spreadDb);
        for (int i = 0; i < smoothed.Length; i++)
        {
            if (!double.IsFinite(smoothed[i]))
            {
                smoothed[i] = like.MeanDb[i];
                spread[i] = like.SpreadDb[i];
            }
        }

        return new TonalReference(name, smoothed, spread, like.NarrowSpreadDb, 1);
    }

    /// <summary>[any thread] The mean at the 31 third-octave centres (for plots), shifted by <paramref name="offsetDb"/>
    /// and converted from twelfth-octave to third-octave band power (+6 dB).</summary>
    public double[] ThirdOctaveMeanDb(double offsetDb)
    {
        var bands = new double[ThirdOctaveBands.Count];
        for (int b = 0; b < bands.Length; b++)
        {
            bands[b] = _meanDb[TwelfthOctaveBands.FromThirdOctave(b)] + offsetDb + (10 * Math.Log10(4));
        }

        return bands;
    }
}
