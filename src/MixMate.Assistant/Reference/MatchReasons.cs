using System.Globalization;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Reference;

/// <summary>The sentence each match move carries: where, how far the programme is from the
/// reference there, and what the move does about it. A move whose sign differs from its band's
/// own deviation (the overlap of its neighbours over-reached) says so instead of contradicting it.</summary>
internal static class MatchReasons
{
    /// <summary>[any-thread] The reason for <paramref name="band"/> given the wanted correction per band.</summary>
    public static string For(MatchCurveFitter.MatchBand band, ReadOnlySpan<double> correctionDb, string reference)
    {
        double wanted = band.BandIndex < correctionDb.Length ? correctionDb[band.BandIndex] : double.NaN;
        string where = band.Type == FilterType.HighShelf
            ? string.Create(CultureInfo.InvariantCulture, $"above {Hz(band.FrequencyHz)}")
            : string.Create(CultureInfo.InvariantCulture, $"around {Hz(ThirdOctaveBands.Nominal[band.BandIndex])}");
        string verb = band.GainDb < 0 ? "cut" : "boost";
        if (!double.IsFinite(wanted))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{where} there is no programme to compare with the {reference} reference; {verb} {Math.Abs(band.GainDb):0.0} dB only shapes the neighbouring moves");
        }

        // The deviation is the programme relative to the reference: the opposite of the correction.
        double deviation = -wanted;
        string relation = Math.Abs(deviation) < 0.05
            ? "matches"
            : string.Create(CultureInfo.InvariantCulture, $"is {Math.Abs(deviation):0.0} dB {(deviation > 0 ? "above" : "below")}");
        bool agrees = Math.Abs(deviation) >= 0.3 && Math.Sign(band.GainDb) == Math.Sign(wanted);
        string action = agrees
            ? string.Create(CultureInfo.InvariantCulture, $"{verb} {Math.Abs(band.GainDb):0.0} dB")
            : string.Create(CultureInfo.InvariantCulture, $"{verb} {Math.Abs(band.GainDb):0.0} dB to offset the overlap of the neighbouring moves");
        return string.Create(CultureInfo.InvariantCulture,
            $"{where} the spectrum {relation} the {reference} reference (level offset removed); {action}");
    }

    private static string Hz(double hz) => hz >= 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{hz / 1000:0.##} kHz")
        : string.Create(CultureInfo.InvariantCulture, $"{hz:0.#} Hz");
}
