namespace MixMate.Plugin.Mastering;

/// <summary>
/// What a MixMate effect sits on: the <c>Mode</c> parameter's list index (saved in every session
/// and automation lane as that index: never reorder).
/// </summary>
public enum MasteringMode
{
    /// <summary>One track: the session balances it; no loudness goal of its own.</summary>
    Track = 0,

    /// <summary>A bus feeding the master: a loudness goal with headroom for the sum.</summary>
    Bus = 1,

    /// <summary>The master: the delivery target's loudness goal.</summary>
    Master = 2,
}

/// <summary>[any thread] What each mode means for loudness learning.</summary>
public static class MasteringModes
{
    /// <summary>The mode of list index <paramref name="index"/> (out of range: the nearest one).</summary>
    public static MasteringMode FromIndex(int index) => (MasteringMode)Math.Clamp(index, 0, 2);

    /// <summary>LU the learned gain stays under the target: a bus feeds a sum and should leave
    /// room for it (6 LU); the master and a track none.</summary>
    public static double HeadroomLu(this MasteringMode mode) => mode == MasteringMode.Bus ? 6 : 0;

    /// <summary>Whether learning sets a gain (a track's level is the session's balance instead).</summary>
    public static bool LearnsGain(this MasteringMode mode) => mode != MasteringMode.Track;
}
