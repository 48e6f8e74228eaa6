using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Reference;

/// <summary>
/// What a programme is matched toward: one reference's measurements, or a style target averaged
/// over several (<see cref="StyleTarget"/>). The tonal curve is a shape (median over 45 Hz–17 kHz
/// at 0 dB); the spread is the standard deviation across the references it came from (0 for one).
/// </summary>
/// <param name="Name">How reasons and reports name it (a file name or the target's name).</param>
/// <param name="CurveDb">Level per third-octave band relative to the median (31 values; −∞ where the references had no programme).</param>
/// <param name="SpreadDb">Standard deviation of each band across the references (31 values).</param>
/// <param name="IntegratedLufs">Integrated loudness.</param>
/// <param name="LoudnessRangeLu">Loudness range.</param>
/// <param name="WidthDb">Side-to-mid energy ratio, dB; null when mono.</param>
public sealed record MatchTarget(string Name, double[] CurveDb, double[] SpreadDb, double IntegratedLufs, double LoudnessRangeLu, double? WidthDb)
{
    /// <summary>[any-thread] The target one reference defines.</summary>
    public static MatchTarget FromReference(ProgrammeProfile reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return new MatchTarget(Path.GetFileName(reference.Name), reference.ShapeDb(), new double[ThirdOctaveBands.Count], reference.IntegratedLufs,
            reference.LoudnessRangeLu, reference.WidthDb);
    }
}
