using System.Buffers.Binary;
using System.Text;
using MixMate.Assistant.Eq;
using MixMate.Plugin.Session;
using MixMate.Plugin.State;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// The "MixMate" effect's own state beside its parameters, typed: what an editor binds to and what
/// a session saves (state version 3, <see cref="StateFields"/> tags below; never renumber a tag).
/// </summary>
/// <param name="LearnedLufs">The frozen or running learned loudness (LUFS), NaN before any learning.</param>
/// <param name="Applied">The suggestion the controller applied last, or null.</param>
/// <param name="TargetCurveJson">The loaded style target's JSON, or null.</param>
/// <remarks>[main thread] Immutable. Versions 1 and 2 of the state stored the same values as
/// positional doubles and a blob: <see cref="LegacyMasteringState"/> reads those.</remarks>
public sealed record MasteringState(double LearnedLufs, AppliedSuggestion? Applied, string? TargetCurveJson)
{
    public const ushort LearnedLufsTag = 1;
    public const ushort TargetCurveTag = 2;
    public const ushort AppliedAmountTag = 10;
    public const ushort AppliedGainTag = 11;
    public const ushort AppliedRoleTag = 12;
    public const ushort AssistantBandsTag = 13;

    /// <summary>The applied EQ moves: per move i32 type (list index of <see cref="P.EqTypes"/>) ·
    /// f64 frequency (Hz) · f64 gain (dB) · f64 Q.</summary>
    public const ushort AppliedEqTag = 14;

    private const int MoveBytes = 4 + (3 * 8);

    /// <summary>A fresh instance's: nothing learned, applied or loaded.</summary>
    public static MasteringState Default { get; } = new(double.NaN, null, null);

    /// <summary>Writes the fields (absent ones are not written).</summary>
    public void WriteTo(StateFields fields)
    {
        if (double.IsFinite(LearnedLufs))
        {
            fields.SetDouble(LearnedLufsTag, LearnedLufs);
        }

        if (TargetCurveJson is not null)
        {
            fields.SetBytes(TargetCurveTag, Encoding.UTF8.GetBytes(TargetCurveJson));
        }

        if (Applied is not AppliedSuggestion a)
        {
            return;
        }

        fields.SetDouble(AppliedAmountTag, a.Amount);
        fields.SetDouble(AppliedGainTag, a.Suggestion.GainDb);
        fields.SetInt32(AppliedRoleTag, a.Suggestion.Role);
        fields.SetInt32(AssistantBandsTag, a.AssistantBands);
        int moves = Math.Min(a.Suggestion.Eq.Count, P.EqBands);
        var eq = new byte[moves * MoveBytes];
        for (int b = 0; b < moves; b++)
        {
            Span<byte> m = eq.AsSpan(b * MoveBytes);
            EqMove move = a.Suggestion.Eq[b];
            BinaryPrimitives.WriteInt32LittleEndian(m, P.EqTypeIndex(move.Type));
            BinaryPrimitives.WriteDoubleLittleEndian(m[4..], move.FrequencyHz);
            BinaryPrimitives.WriteDoubleLittleEndian(m[12..], move.GainDb);
            BinaryPrimitives.WriteDoubleLittleEndian(m[20..], move.Q);
        }

        fields.SetBytes(AppliedEqTag, eq);
    }

    /// <summary>Reads the fields; whatever is missing or out of range reads as its default (the
    /// same checks as <see cref="LegacyMasteringState"/>, so a converted session behaves alike).</summary>
    public static MasteringState ReadFrom(StateFields fields)
    {
        fields.TryGetDouble(LearnedLufsTag, out double learned);
        string? json = fields.TryGetBytes(TargetCurveTag, out byte[] text) ? Encoding.UTF8.GetString(text) : null;
        AppliedSuggestion? applied = null;
        if (fields.TryGetDouble(AppliedAmountTag, out double amount)
            && fields.TryGetDouble(AppliedGainTag, out double gain)
            && fields.TryGetBytes(AppliedEqTag, out byte[] eq)
            && eq.Length % MoveBytes == 0 && eq.Length / MoveBytes <= P.EqBands)
        {
            int role = fields.TryGetInt32(AppliedRoleTag, out int r) ? r : -1;
            int bands = fields.TryGetInt32(AssistantBandsTag, out int k) ? k : 0;
            var moves = new EqMove[eq.Length / MoveBytes];
            for (int b = 0; b < moves.Length; b++)
            {
                ReadOnlySpan<byte> m = eq.AsSpan(b * MoveBytes);
                moves[b] = RestoredMove(BinaryPrimitives.ReadInt32LittleEndian(m), BinaryPrimitives.ReadDoubleLittleEndian(m[4..]),
                    BinaryPrimitives.ReadDoubleLittleEndian(m[12..]), BinaryPrimitives.ReadDoubleLittleEndian(m[20..]));
            }

            applied = Restored(amount, gain, role, bands, moves);
        }

        return new MasteringState(RestoredLearned(learned), applied, json);
    }

    /// <summary>A learned loudness as kept: finite and within (−100, 30) LUFS, else NaN.</summary>
    internal static double RestoredLearned(double lufs) => double.IsFinite(lufs) && lufs is > -100 and < 30 ? lufs : double.NaN;

    /// <summary>An applied suggestion as kept: null unless the amount is within 0…1 and the gain
    /// finite; the gain within ±24 dB, the bands masked to the EQ's.</summary>
    internal static AppliedSuggestion? Restored(double amount, double gainDb, int role, int assistantBands, IReadOnlyList<EqMove> moves)
    {
        if (!(amount is >= 0 and <= 1) || !double.IsFinite(gainDb))
        {
            return null;
        }

        var suggestion = new Suggestion(0, Math.Clamp(gainDb, -24, 24), role, moves, []);
        return new AppliedSuggestion(suggestion, amount, assistantBands & ((1 << P.EqBands) - 1));
    }

    /// <summary>An applied EQ move as kept: the type index within the list, non-finite values at
    /// the band's neutral ones.</summary>
    internal static EqMove RestoredMove(int type, double frequencyHz, double gainDb, double q) =>
        new(P.EqTypeOf(Math.Clamp(type, 0, P.EqTypes.Length - 1)), Finite(frequencyHz, 1000), Finite(gainDb, 0), Finite(q, 0.707),
            "restored from the saved state");

    private static double Finite(double value, double fallback) => double.IsFinite(value) ? value : fallback;
}

/// <summary>The suggestion the controller applied last, kept so that turning <c>Amount</c> later
/// (after a reload too) re-scales it.</summary>
/// <param name="Suggestion">What was applied (a restored one has generation 0 and no reasons).</param>
/// <param name="Amount">The amount it was applied with, 0…1.</param>
/// <param name="AssistantBands">Bit b set: the assistant wrote EQ band b (switched off when a later
/// suggestion needs fewer bands).</param>
public sealed record AppliedSuggestion(Suggestion Suggestion, double Amount, int AssistantBands);
