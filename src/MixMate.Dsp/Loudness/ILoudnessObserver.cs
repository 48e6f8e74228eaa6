namespace MixMate.Dsp.Loudness;

/// <summary>
/// Receives the meter's momentary and short-term loudness every 100 ms step (for plots and
/// logs). Implementations are called on the thread that runs <see cref="LoudnessMeter.Process"/>,
/// so on the audio thread they must not allocate, lock or block.
/// </summary>
public interface ILoudnessObserver
{
    /// <summary>[audio thread] Called at the end of every 100 ms step. <paramref name="timeSeconds"/>
    /// is the programme time at the end of the step; windows not yet filled count the missing
    /// time as silence, and a value is <see cref="double.NegativeInfinity"/> for digital silence.</summary>
    void OnStep(double timeSeconds, double momentaryLufs, double shortTermLufs);
}
