using System.Globalization;
using MathNet.Numerics.Statistics;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Streaming;
using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Tonal;

/// <summary>
/// The previous rule-based tonal balance, a curve follower: compares a programme's long-term
/// third-octave spectrum with a <see cref="TonalTarget"/> and proposes at most six bounded EQ moves
/// that pull it toward the target. The front ends use <see cref="TonalEngine"/>; this stays for
/// <see cref="MeasureBands(AudioBlock, double)"/> and as the side-by-side baseline of <c>models/tonal</c>'s benchmark.
/// </summary>
public static class TonalBalance
{
    /// <summary>Bands whose deviation counts fully: 50 Hz–16 kHz (the range a first-pass EQ should
    /// care about; below it is rumble, above it is mostly noise and air).</summary>
    private const double FullWeightLowHz = 45, FullWeightHighHz = 17000;

    /// <summary>[non-real-time] Long-term spectrum of <paramref name="block"/> in 31 third-octave bands (dB).</summary>
    public static double[] MeasureBands(AudioBlock block, double sampleRate)
    {
        LongTermSpectrum spectrum = CreateBandMeter(sampleRate, block.Channels, block.Frames);
        const int Step = 65536;
        for (int start = 0; start < block.Frames; start += Step)
        {
            spectrum.Process(block.Slice(start, Math.Min(Step, block.Frames - start)));
        }

        return Bands(spectrum);
    }

    /// <summary>[non-real-time] <see cref="MeasureBands(AudioBlock, double)"/> on one pass over a
    /// source (memory: one block and the spectrum's frame).</summary>
    public static double[] MeasureBands(IAudioSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        LongTermSpectrum spectrum = CreateBandMeter(source.SampleRate, source.Channels, source.Frames);
        const int Step = 16384;
        var samples = new float[Step * source.Channels];
        var block = new AudioBlock(samples, source.Channels, Step, Step);
        source.Rewind();
        int read;
        while ((read = source.Read(block)) > 0)
        {
            spectrum.Process(block.Slice(0, read));
        }

        return Bands(spectrum);
    }

    /// <summary>[non-real-time] The spectrum analyser <see cref="MeasureBands(AudioBlock, double)"/>
    /// uses for a programme of <paramref name="frames"/> frames, for callers that feed it on a pass
    /// of their own (the analyser does not depend on how the programme is cut into blocks).</summary>
    public static LongTermSpectrum CreateBandMeter(double sampleRate, int channels, long frames)
    {
        var spectrum = new LongTermSpectrum();
        spectrum.Configure(sampleRate, Math.Max(1, channels), 4096);
        if (frames > 64L * spectrum.FftSize)
        {
            // Over a minute of programme: 64+ frames without overlap average as well as with it.
            spectrum.Hop = spectrum.FftSize;
        }

        return spectrum;
    }

    /// <summary>[non-real-time] The 31 third-octave band levels (dB) of what <paramref name="spectrum"/> analysed.</summary>
    public static double[] Bands(LongTermSpectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var bands = new double[ThirdOctaveBands.Count];
        spectrum.ThirdOctaveDb(bands);
        return bands;
    }

    /// <summary>
    /// Compares measured band levels with the target and suggests moves.
    /// </summary>
    /// <param name="bandsDb">Measured level per third-octave band (absolute dB, −∞ where empty).</param>
    /// <param name="target">The reference curve.</param>
    /// <param name="sampleRate">The programme's rate (bands above Nyquist are ignored).</param>
    /// <param name="maxBands">At most this many moves.</param>
    /// <param name="maxGainDb">Each move is bounded to ±this.</param>
    public static TonalSuggestion Suggest(ReadOnlySpan<double> bandsDb, TonalTarget target, double sampleRate, int maxBands = 6, double maxGainDb = 4)
    {
        ArgumentNullException.ThrowIfNull(target);
        int n = ThirdOctaveBands.Count;
        if (bandsDb.Length != n)
        {
            throw new ArgumentException("Need 31 band levels.", nameof(bandsDb));
        }

        double loudest = double.NegativeInfinity;
        foreach (double b in bandsDb)
        {
            loudest = Math.Max(loudest, b);
        }

        // Which bands carry programme: finite, below Nyquist, and within 60 dB of the loudest band
        // (boosting what is not there only raises noise).
        var weights = new double[n];
        for (int b = 0; b < n; b++)
        {
            double fc = ThirdOctaveBands.Centre(b);
            bool present = double.IsFinite(bandsDb[b]) && bandsDb[b] > loudest - 60 && ThirdOctaveBands.UpperEdge(b) < sampleRate / 2;
            weights[b] = !present ? 0 : fc is >= FullWeightLowHz and <= FullWeightHighHz ? 1 : 0.25;
        }

        // Shape only: remove the level offset. The median difference is used, not the mean, so a
        // local bump (a boomy 250 Hz) reads as a bump and does not tilt every other band.
        var differences = new List<double>();
        for (int b = 0; b < n; b++)
        {
            if (weights[b] >= 1)
            {
                differences.Add(bandsDb[b] - target.BandsDb[b]);
            }
        }

        if (differences.Count == 0)
        {
            return new TonalSuggestion(new double[n], [], target.Name);
        }

        // MathNet's median (selection, no full sort): 1.7x faster than sorting in the side-by-side
        // benchmark (MixMate.Benchmarks libraries); the middle value, or the mean of the two middle ones.
        double offset = differences.Median();
        var raw = new double[n];
        for (int b = 0; b < n; b++)
        {
            raw[b] = weights[b] > 0 ? bandsDb[b] - target.BandsDb[b] - offset : 0;
        }

        // One more third-octave of smoothing ([¼ ½ ¼] across neighbouring bands), so a single
        // resonant band reads as a tendency, not as a notch to chase.
        var deviation = new double[n];
        var correction = new double[n];
        for (int b = 0; b < n; b++)
        {
            double sum = 0, wsum = 0;
            for (int k = -1; k <= 1; k++)
            {
                int j = b + k;
                if (j >= 0 && j < n && weights[j] > 0)
                {
                    double kw = k == 0 ? 0.5 : 0.25;
                    sum += kw * raw[j];
                    wsum += kw;
                }
            }

            deviation[b] = wsum > 0 ? sum / wsum : 0;

            // Below 45 Hz only cuts: a programme light in sub-bass usually lacks the content, and
            // boosting there raises rumble and eats headroom the limiter then has to take back.
            correction[b] = ThirdOctaveBands.Centre(b) < FullWeightLowHz ? Math.Min(0, -deviation[b]) : -deviation[b];
        }

        IReadOnlyList<EqCurveFitter.FittedBand> fitted = EqCurveFitter.Fit(correction, weights, maxBands, maxGainDb);
        var moves = fitted.Select(f => ToMove(f, deviation, target.Name)).ToList();
        return new TonalSuggestion(deviation, moves, target.Name);
    }

    /// <summary>Converts a fitted band into a move with its reason.</summary>
    public static EqMove ToMove(EqCurveFitter.FittedBand band, ReadOnlySpan<double> deviationDb, string reference)
    {
        int index = Math.Clamp(band.BandIndex, 0, deviationDb.Length - 1);

        // The deviation the move answers: averaged over the bands it acts on, weighted by how much
        // it acts there (a shelf answers its whole side, a peak its bell).
        double sum = 0, weightSum = 0;
        for (int b = 0; b < deviationDb.Length; b++)
        {
            double w = Math.Abs(BiquadCoefficients.MagnitudeDb(band.Type, 96000, band.FrequencyHz, 4, band.Q, ThirdOctaveBands.Centre(b))) / 4;
            if (w > 0.25)
            {
                sum += w * deviationDb[b];
                weightSum += w;
            }
        }

        double measured = weightSum > 0 ? sum / weightSum : deviationDb[index];
        string region = Region(ThirdOctaveBands.Centre(index), measured);
        string where = band.Type switch
        {
            FilterType.LowShelf => string.Create(CultureInfo.InvariantCulture, $"below {band.FrequencyHz:0} Hz"),
            FilterType.HighShelf => string.Create(CultureInfo.InvariantCulture, $"above {Format(band.FrequencyHz)}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"around {Format(ThirdOctaveBands.Nominal[index])}"),
        };
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"{where} the spectrum is {Math.Abs(measured):0.0} dB {(measured > 0 ? "above" : "below")} the {reference} reference ({region}); {(band.GainDb < 0 ? "cut" : "boost")} {Math.Abs(band.GainDb):0.0} dB");
        return new EqMove(band.Type, band.FrequencyHz, band.GainDb, Math.Round(band.Q, 2), reason);
    }

    // Words engineers use for too much / too little in each region.
    private static string Region(double hz, double deviation) => (hz, deviation > 0) switch
    {
        ( < 60, true) => "sub-heavy",
        ( < 60, false) => "light sub-bass",
        ( < 250, true) => "boomy",
        ( < 250, false) => "thin low end",
        ( < 800, true) => "muddy",
        ( < 800, false) => "hollow low mids",
        ( < 2500, true) => "boxy or honky",
        ( < 2500, false) => "recessed mids",
        ( < 6000, true) => "harsh presence",
        ( < 6000, false) => "distant, lacking presence",
        (_, true) => "bright or sibilant",
        _ => "dull top end",
    };

    private static string Format(double hz) => hz >= 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{hz / 1000:0.##} kHz")
        : string.Create(CultureInfo.InvariantCulture, $"{hz:0.#} Hz");
}

/// <summary>The outcome of a tonal comparison.</summary>
/// <param name="DeviationDb">Smoothed deviation from the target per third-octave band (dB, level offset removed).</param>
/// <param name="Moves">Suggested moves (≤ 6), each with its reason.</param>
/// <param name="Reference">Name of the target curve.</param>
public sealed record TonalSuggestion(double[] DeviationDb, IReadOnlyList<EqMove> Moves, string Reference)
{
    /// <summary>The reference used, per third-octave band at the programme's level (for plots); empty
    /// for the rule-based curve follower, whose reference is <see cref="TonalTarget"/>.</summary>
    public double[] ReferenceBandsDb { get; init; } = [];

    /// <summary>Spread of clean material around the reference per third-octave band, dB (empty when none).</summary>
    public double[] ReferenceSpreadDb { get; init; } = [];

    /// <summary>The fault the engine estimated per third-octave band, dB (empty for the curve follower).</summary>
    public double[] EstimatedFaultDb { get; init; } = [];

    /// <summary>The combined response of the moves per third-octave band, dB (empty for the curve follower).</summary>
    public double[] CurveDb { get; init; } = [];
}
