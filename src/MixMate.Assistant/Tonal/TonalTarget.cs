using MathNet.Numerics.Interpolation;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Tonal;

/// <summary>
/// A reference long-term spectrum: level per ISO third-octave band (20 Hz–20 kHz) relative to the
/// 1 kHz band, defined as straight lines on a log-frequency axis between breakpoints.
/// </summary>
/// <remarks>
/// The full-mix curve describes a balanced modern mix as measured in third-octave bands: a low-end
/// plateau about 4 dB above 1 kHz from 50 to 125 Hz (kick and bass fundamentals), a gentle fall to
/// 1 kHz, then about −3 dB per octave to 4 kHz and steeper above, with the air band well below the
/// presence region. It follows the shape reported for commercial releases by Pestana et al.
/// ("Spectral characteristics of popular commercial recordings 1950–2010", AES 135, 2013), which
/// find a roughly −5 dB/octave average tilt above a few hundred hertz. It is a reference for a
/// first pass, not a sound to be pushed to: every suggestion is bounded, explained and scaled by the
/// user's amount.
/// </remarks>
public sealed class TonalTarget
{
    private readonly double[] _bandsDb;

    private TonalTarget(string name, double[] bandsDb)
    {
        Name = name;
        _bandsDb = bandsDb;
    }

    public string Name { get; }

    /// <summary>Target level of each third-octave band relative to 1 kHz, in dB.</summary>
    public ReadOnlySpan<double> BandsDb => _bandsDb;

    /// <summary>The balanced full-mix reference (see remarks).</summary>
    public static TonalTarget FullMix { get; } = FromBreakpoints("full-mix",
        (20, -6), (31.5, 0), (50, 4), (125, 4), (250, 2.5), (1000, 0), (4000, -6), (10000, -12.5), (16000, -18), (20000, -24));

    /// <summary>Builds a target from (frequency Hz, dB) breakpoints, interpolated linearly in log frequency.</summary>
    public static TonalTarget FromBreakpoints(string name, params (double Hz, double Db)[] points)
    {
        ArgumentNullException.ThrowIfNull(points);
        // MathNet's linear spline on log frequency, held flat beyond the first and last breakpoints
        // (as fast as the hand-written loop in the side-by-side benchmark, MixMate.Benchmarks libraries).
        LinearSpline spline = LinearSpline.InterpolateSorted([.. points.Select(p => Math.Log(p.Hz))], [.. points.Select(p => p.Db)]);
        double low = Math.Log(points[0].Hz), high = Math.Log(points[^1].Hz);
        var bands = new double[ThirdOctaveBands.Count];
        for (int b = 0; b < bands.Length; b++)
        {
            bands[b] = spline.Interpolate(Math.Clamp(Math.Log(ThirdOctaveBands.Centre(b)), low, high));
        }

        return new TonalTarget(name, bands);
    }

    /// <summary>Builds a target directly from 31 band levels.</summary>
    public static TonalTarget FromBands(string name, ReadOnlySpan<double> bandsDb)
    {
        if (bandsDb.Length != ThirdOctaveBands.Count)
        {
            throw new ArgumentException("Need one level per third-octave band (31).", nameof(bandsDb));
        }

        return new TonalTarget(name, bandsDb.ToArray());
    }
}
