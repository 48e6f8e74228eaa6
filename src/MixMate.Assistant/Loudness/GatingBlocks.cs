using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Loudness;

/// <summary>
/// The 400 ms gating blocks of one programme (BS.1770-4 Annex 1 eq. 3: one every 100 ms), kept as
/// their mean-square energies so that several programmes can be gated together
/// (<see cref="AlbumLoudness"/>). Attach as a <see cref="LoudnessMeter.Observer"/>: at the end of
/// every 100 ms step from the fourth on (0.4 s), the meter's momentary loudness is exactly the
/// energy of the block that ends there; the first three steps end partial blocks, which BS.1770
/// discards.
/// </summary>
/// <remarks>[any-thread] one meter feeds one instance; 80 bytes per second of programme.</remarks>
public sealed class GatingBlocks : ILoudnessObserver
{
    // A 400 ms block spans four 100 ms steps.
    private const int StepsPerBlock = 4;

    private readonly List<double> _energies = [];
    private long _steps;

    /// <summary>Energies of the blocks above the −70 LUFS absolute gate, in time order.</summary>
    public IReadOnlyList<double> Energies => _energies;

    /// <summary>[meter thread] Records the block that ends at <paramref name="timeSeconds"/>.</summary>
    public void OnStep(double timeSeconds, double momentaryLufs, double shortTermLufs)
    {
        if (++_steps >= StepsPerBlock && momentaryLufs >= Bs1770.AbsoluteGateLufs)
        {
            _energies.Add(Bs1770.LufsToEnergy(momentaryLufs));
        }
    }
}
