using System.Globalization;
using MixMate.Assistant.Eq;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Tonal;

/// <summary>
/// The tonal engine every front end uses (<c>mixmate suggest</c>, <c>mixmate master --eq</c>, the
/// plug-in): finds the programme's EQ fault against a content-aware reference
/// (<see cref="FaultFinder"/>), realises the undoing curve with at most six bounded moves
/// (<see cref="BoundedEqFitter"/>, each ±4 dB, the combined curve ±6 dB) and gives each move a
/// reason that names the deviation it answers, with the same sign, at least the move's size and
/// the engineer's word for that place. A programme without a fault gets few or no moves.
/// </summary>
public static class TonalEngine
{
    /// <summary>Boosts only inside this range, Hz (below, boosting raises rumble; above, hiss).</summary>
    private const double BoostLowHz = 40, BoostHighHz = 16000;

    /// <summary>[any thread but the audio thread] Moves that undo the fault of <paramref name="profile"/>
    /// judged against <paramref name="reference"/>.</summary>
    public static TonalSuggestion Suggest(TonalProfile profile, TonalReference reference, FaultFinderSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(reference);
        settings ??= FaultFinderSettings.Default;
        FaultEstimate estimate = FaultFinder.Estimate(profile, reference, settings);
        int n = TwelfthOctaveBands.Count;
        var correction = new double[n];
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!estimate.Analysed[i])
            {
                continue;
            }

            weights[i] = 1;
            double c = Math.Clamp(-estimate.FaultDb[i], -settings.MaxCurveDb, settings.MaxCurveDb);
            double f = TwelfthOctaveBands.Centre(i);
            correction[i] = c > 0 && (f < BoostLowHz || f > BoostHighHz) ? 0 : c;
        }

        IReadOnlyList<BoundedEqFitter.FittedMove> fitted = settings.BroadBank
            ? WithBank(correction, weights, estimate, settings)
            : BoundedEqFitter.Fit(correction, weights, settings.MaxMoves, settings.MaxMoveDb, settings.MaxCurveDb, settings.MinMoveDb, settings.MinReduction);
        var moves = fitted.Select(m => ToMove(m, correction, estimate, reference)).ToList();

        int bands = ThirdOctaveBands.Count;
        double[] curve = BoundedEqFitter.Response(moves.Select(m => (m.Type, m.FrequencyHz, m.GainDb, m.Q)));
        var deviation = new double[bands];
        var fault = new double[bands];
        var curve3 = new double[bands];
        var spread = new double[bands];
        for (int b = 0; b < bands; b++)
        {
            int i = TwelfthOctaveBands.FromThirdOctave(b);
            deviation[b] = estimate.Analysed[i] ? Math.Round(estimate.NarrowDb[i] + estimate.BroadDb[i], 3) : 0;
            fault[b] = Math.Round(estimate.FaultDb[i], 3);
            curve3[b] = Math.Round(curve[i], 3);
            spread[b] = Math.Round(reference.SpreadDb[i], 3);
        }

        return new TonalSuggestion(deviation, moves, reference.Name)
        {
            ReferenceBandsDb = [.. reference.ThirdOctaveMeanDb(estimate.OffsetDb).Select(v => Math.Round(v, 3))],
            ReferenceSpreadDb = spread,
            EstimatedFaultDb = fault,
            CurveDb = curve3,
        };
    }

    // Narrow faults region by region, broad ones through the fixed bank; a bank band whose sign
    // disagrees with the correction where it acts is left out (its reason could not agree).
    private static List<BoundedEqFitter.FittedMove> WithBank(double[] correction, double[] weights, FaultEstimate estimate, FaultFinderSettings settings)
    {
        int n = correction.Length;
        var narrow = new double[n];
        var broad = new double[n];
        for (int i = 0; i < n; i++)
        {
            double total = estimate.FaultDb[i] == 0 ? 0 : correction[i] / -estimate.FaultDb[i];
            narrow[i] = -estimate.NarrowFaultDb[i] * total;
            broad[i] = correction[i] - narrow[i];
        }

        IReadOnlyList<(FilterType Type, double FrequencyHz, double Q)> bank = BroadEqBank.Bands(settings.BankSize);
        int bankCount = bank.Count;
        if (settings.MaxMoves <= bankCount)
        {
            // No room for narrow moves: the bank takes the whole correction.
            Array.Clear(narrow);
            broad = (double[])correction.Clone();
        }

        var moves = new List<BoundedEqFitter.FittedMove>(BoundedEqFitter.Fit(narrow, weights, Math.Max(0, settings.MaxMoves - bankCount),
            settings.MaxMoveDb, settings.MaxCurveDb, settings.MinMoveDb, settings.MinReduction));
        double[] gains = BroadEqBank.Fit(broad, weights, settings.MaxMoveDb, bankCount);
        for (int k = 0; k < bankCount; k++)
        {
            (FilterType type, double f, double q) = bank[k];
            double g = Math.Round(gains[k], 1);
            if (Math.Abs(g) < settings.MinMoveDb)
            {
                continue;
            }

            IReadOnlyList<int> footprint = BoundedEqFitter.FootprintOf(type, f, q);
            double mean = 0, strongest = 0;
            foreach (int b in footprint)
            {
                mean += correction[b];
                strongest = Math.Sign(correction[b]) == Math.Sign(g) ? Math.Max(strongest, Math.Abs(correction[b])) : strongest;
            }

            if (Math.Sign(mean) == Math.Sign(g) && strongest > 0)
            {
                moves.Add(new BoundedEqFitter.FittedMove(type, f, Math.Sign(g) * Math.Min(Math.Abs(g), Math.Round(strongest, 1)), q, footprint));
            }
        }

        // The combined curve is bounded everywhere.
        double[] response = BoundedEqFitter.Response(moves.Select(m => (m.Type, m.FrequencyHz, m.GainDb, m.Q)));
        double peak = 0;
        for (int i = 0; i < n; i++)
        {
            peak = weights[i] > 0 ? Math.Max(peak, Math.Abs(response[i])) : peak;
        }

        double scale = peak > settings.MaxCurveDb ? settings.MaxCurveDb / peak : 1;
        return [.. moves
            .Select(m => m with { GainDb = Math.Round(m.GainDb * scale, 1) })
            .Where(m => Math.Abs(m.GainDb) >= settings.MinMoveDb)
            .OrderBy(m => m.FrequencyHz)];
    }

    private static EqMove ToMove(BoundedEqFitter.FittedMove move, double[] correction, FaultEstimate estimate, TonalReference reference)
    {
        // The place the move answers: the strongest correction of its sign under its footprint.
        int place = move.Footprint.Count > 0 ? move.Footprint[0] : TwelfthOctaveBands.ReferenceIndex;
        double narrowPart = 0, broadPart = 0;
        foreach (int b in move.Footprint)
        {
            if (Math.Sign(correction[b]) == Math.Sign(move.GainDb) && Math.Abs(correction[b]) > Math.Abs(correction[place]))
            {
                place = b;
            }

            narrowPart += Math.Abs(estimate.NarrowFaultDb[b]);
            broadPart += Math.Abs(estimate.FaultDb[b] - estimate.NarrowFaultDb[b]);
        }

        double asked = Math.Max(Math.Abs(correction[place]), Math.Abs(move.GainDb));
        bool tooMuch = move.GainDb < 0;
        string direction = tooMuch ? "above" : "below";
        string word = ToneWords.For(TwelfthOctaveBands.Centre(place), tooMuch);
        string where = move.Type switch
        {
            FilterType.LowShelf => $"below {Hz(move.FrequencyHz)}",
            FilterType.HighShelf => $"above {Hz(move.FrequencyHz)}",
            _ => $"around {Hz(move.FrequencyHz)}",
        };
        string action = string.Create(CultureInfo.InvariantCulture, $"{(tooMuch ? "cut" : "boost")} {Math.Abs(move.GainDb):0.0} dB");
        string reason;
        if (narrowPart >= broadPart)
        {
            double measured = Math.Max(Math.Abs(estimate.NarrowDb[place]), asked);
            reason = string.Create(CultureInfo.InvariantCulture,
                $"{where} a {(tooMuch ? "resonance" : "notch")} {measured:0.0} dB {direction} the track's own smoothed spectrum ({word}); {action}");
        }
        else
        {
            double measured = Math.Max(Math.Abs(estimate.BroadDb[place]), asked);
            reason = string.Create(CultureInfo.InvariantCulture,
                $"{where} the spectrum is {measured:0.0} dB {direction} the {reference.Name} reference, {asked:0.0} dB beyond the spread of clean {Plural(reference.Name)} ({word}); {action}");
        }

        return new EqMove(move.Type, Math.Round(move.FrequencyHz, 1), move.GainDb, Math.Round(move.Q, 2), reason)
        {
            DeviationDb = Math.Round(tooMuch ? asked : -asked, 1),
            AtHz = Math.Round(TwelfthOctaveBands.Centre(place), 1),
            Word = word,
        };
    }

    private static string Plural(string name) => name switch
    {
        TonalReferences.Mix => "mixes",
        TonalReferences.Speech => "speech",
        TonalReferences.Track => "tracks",
        _ => $"{name} tracks",
    };

    private static string Hz(double hz) => hz >= 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{hz / 1000:0.#} kHz")
        : string.Create(CultureInfo.InvariantCulture, $"{hz:0} Hz");
}
