namespace MixMate.Plugin.Mastering;

/// <summary>
/// Loudness learning (bus and master): while learning, the integrated loudness (BS.1770-4) of the
/// signal after input gain and EQ — <see cref="MasteringSignalPath.LearnIntegratedLufs"/> — is
/// re-read ten times a second (it changes only per 100 ms gating block); the auto gain is
/// <c>amount</c> × (goal − learned), limited to ±24 dB, where the goal is the target loudness
/// minus the mode's headroom (<see cref="MasteringModes.HeadroomLu"/>). A track learns no gain.
/// Switching learning off freezes the learned value; it is saved with the state.
/// </summary>
/// <remarks>
/// State: <c>learned</c> (LUFS, NaN before any learning), <c>framesSinceUpdate</c> against
/// <c>updateFrames</c> (a tenth of a second, at least one sub-block), and the goal's inputs as
/// the parameters last set them.
/// Threads: <see cref="Advance"/> and the setters [audio thread, or main thread while inactive];
/// <see cref="Configure"/> and <see cref="Restore"/> [main thread, inactive or between blocks,
/// as the state's extras were]. Allocation-free.
/// </remarks>
public sealed class LoudnessLearner
{
    private int _framesSinceUpdate;
    private int _updateFrames = 4800;

    /// <summary>Whether the learn switch is on.</summary>
    public bool IsLearning { get; set; }

    /// <summary>The share of the move applied, 0…1 (the <c>Amount</c> parameter / 100).</summary>
    public double Amount { get; set; } = 1.0;

    public MasteringMode Mode { get; set; } = MasteringMode.Master;

    /// <summary>The target loudness (LUFS) before the mode's headroom.</summary>
    public double TargetLufs { get; set; } = -14;

    /// <summary>The frozen or running learned loudness (LUFS), NaN before any learning.</summary>
    public double LearnedLufs { get; private set; } = double.NaN;

    /// <summary>The gain the learned loudness asks for, dB (0 before learning and for a track).</summary>
    public double AutoGainDb
    {
        get
        {
            if (!double.IsFinite(LearnedLufs) || !Mode.LearnsGain())
            {
                return 0;
            }

            double goal = TargetLufs - Mode.HeadroomLu();
            return Math.Clamp(Amount * (goal - LearnedLufs), -24.0, 24.0);
        }
    }

    /// <summary>Sets the update interval for <paramref name="sampleRate"/>.</summary>
    public void Configure(double sampleRate, int subBlockFrames) =>
        _updateFrames = Math.Max(subBlockFrames, (int)(sampleRate / 10));

    /// <summary>Starts the update interval again (activation).</summary>
    public void Reset() => _framesSinceUpdate = 0;

    /// <summary>Takes a saved learned loudness (already checked: <see cref="MasteringState"/>).</summary>
    public void Restore(double learnedLufs) => LearnedLufs = learnedLufs;

    /// <summary>[audio thread] <paramref name="frames"/> more were processed: re-reads the learned
    /// loudness when due; returns whether it changed (the auto gain then changes).</summary>
    public bool Advance(int frames, MasteringSignalPath path)
    {
        _framesSinceUpdate += frames;
        if (!IsLearning || _framesSinceUpdate < _updateFrames)
        {
            return false;
        }

        _framesSinceUpdate = 0;
        double measured = path.LearnIntegratedLufs;
        if (!double.IsFinite(measured) || measured == LearnedLufs)
        {
            return false;
        }

        LearnedLufs = measured;
        return true;
    }
}
