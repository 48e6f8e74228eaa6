using System.Text;
using MixMate.Assistant.Eq;
using MixMate.Plugin.State;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// Reads the effect's state from a version 1 or 2 state: positional doubles after the parameters
/// (and, version 2, the style target's JSON as the blob). Legend of the 30 extras builds before
/// version 3 wrote (a state with fewer reads the missing ones as NaN):
/// <code>
/// [0]  learned loudness, LUFS (NaN: none)
/// [1]  amount the suggestion was applied with, 0…1 (NaN: no suggestion applied)
/// [2]  applied gain, dB       [3] number of EQ moves   [4] assistant's bands (bit mask)
/// [5]  role (−1 unknown)      [6 + 4b …] move b: type list index, Hz, dB, Q (b &lt; 6)
/// </code>
/// </summary>
/// <remarks>[main thread] Only reads: version 3 writes <see cref="MasteringState"/>'s fields.</remarks>
public static class LegacyMasteringState
{
    /// <summary>Extras the last version 2 builds wrote.</summary>
    public const int ExtraCount = Applied + 4 + (4 * P.EqBands);

    private const int Applied = 2;

    /// <summary>The state <paramref name="stored"/> held, read as builds before version 3 read it.</summary>
    public static MasteringState Read(StoredState stored)
    {
        Span<double> x = stackalloc double[ExtraCount];
        x.Fill(double.NaN);
        for (int k = 0; k < x.Length && k < stored.LegacyExtras.Count; k++)
        {
            x[k] = stored.LegacyExtras[k];
        }

        // A blob that is not a target (or none) leaves none; the plug-in checks it when loading.
        string? json = stored.LegacyBlob.Length > 0 ? Encoding.UTF8.GetString(stored.LegacyBlob) : null;
        return new MasteringState(MasteringState.RestoredLearned(x[0]), ReadApplied(x), json);
    }

    private static AppliedSuggestion? ReadApplied(ReadOnlySpan<double> x)
    {
        int eqCount = (int)Math.Clamp(double.IsFinite(x[Applied + 1]) ? x[Applied + 1] : -1, -1, P.EqBands);
        if (eqCount < 0)
        {
            return null;
        }

        var moves = new EqMove[eqCount];
        for (int b = 0; b < eqCount; b++)
        {
            int at = Applied + 4 + (4 * b);
            int type = (int)Math.Clamp(double.IsFinite(x[at]) ? x[at] : 0, 0, P.EqTypes.Length - 1);
            moves[b] = MasteringState.RestoredMove(type, x[at + 1], x[at + 2], x[at + 3]);
        }

        int role = (int)(double.IsFinite(x[Applied + 3]) ? x[Applied + 3] : -1);
        int bands = (int)(double.IsFinite(x[Applied + 2]) ? x[Applied + 2] : 0);
        return MasteringState.Restored(x[1], x[Applied], role, bands, moves);
    }
}
