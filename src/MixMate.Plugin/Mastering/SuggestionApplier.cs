using MixMate.Assistant.Eq;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Session;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// Applies what the mix session suggests through host edits: a track gets <c>amount</c> of its
/// balance move in <c>Balance Gain</c> and its masking cuts in the EQ bands; a bus or the master
/// gets <c>amount</c> of the tonal-balance moves in the EQ bands. Turning <c>amount</c> later
/// re-scales the applied gains (again as host edits); a new suggestion switches off the bands the
/// assistant wrote before and no longer needs.
/// </summary>
/// <remarks>
/// State: the suggestion applied last, the amount it was applied with and the bands the assistant
/// wrote (<see cref="AppliedSuggestion"/>, saved with the plug-in's state).
/// Threads: [main thread] only (the thread that polls for host edits and loads state).
/// Allocation-free when there is nothing to do.
/// </remarks>
public sealed class SuggestionApplier
{
    private Suggestion? _applied;
    private double _appliedAmount = double.NaN;
    private int _assistantBands;

    /// <summary>What was applied last, as saved (the amount is 1 if it never was applied with one).</summary>
    public AppliedSuggestion? Applied =>
        _applied is null ? null : new AppliedSuggestion(_applied, double.IsFinite(_appliedAmount) ? _appliedAmount : 1.0, _assistantBands);

    /// <summary>Takes a saved applied suggestion (null: none).</summary>
    public void Restore(AppliedSuggestion? applied)
    {
        _applied = applied?.Suggestion;
        _appliedAmount = applied?.Amount ?? double.NaN;
        _assistantBands = applied?.AssistantBands ?? 0;
    }

    /// <summary>Writes the edits due now into <paramref name="edits"/> as (id, plain value) and
    /// returns how many: all of a fresh suggestion of <paramref name="member"/>'s, or the re-scaled
    /// gains when <paramref name="amount"/> (0…1) moved. Edits past the span's end are dropped.</summary>
    public int Poll(SessionMember member, Span<MmParamPoint> edits, double amount, MasteringMode mode)
    {
        int count = 0;
        Suggestion? fresh = member.TakeSuggestionToApply();
        if (fresh is not null)
        {
            _applied = fresh;
            Write(edits, ref count, fresh, amount, mode, whole: true);
            _appliedAmount = amount;
        }
        else if (_applied is not null && amount != _appliedAmount)
        {
            Write(edits, ref count, _applied, amount, mode, whole: false);
            _appliedAmount = amount;
        }

        return count;
    }

    // The edits that apply `amount` of `s`: the whole suggestion (gain, EQ shapes, switching off
    // bands the assistant wrote before and no longer needs), or only the gains.
    private void Write(Span<MmParamPoint> edits, ref int count, Suggestion s, double amount, MasteringMode mode, bool whole)
    {
        if (mode == MasteringMode.Track)
        {
            Append(edits, ref count, P.BalanceGainDb, Math.Round(amount * s.GainDb, 2));
        }

        int bands = Math.Min(s.Eq.Count, P.EqBands);
        for (int b = 0; b < bands; b++)
        {
            EqMove move = s.Eq[b];
            if (whole)
            {
                Append(edits, ref count, P.EqId(b, P.EqEnable), 1);
                Append(edits, ref count, P.EqId(b, P.EqType), P.EqTypeIndex(move.Type));
                Append(edits, ref count, P.EqId(b, P.EqFrequency), move.FrequencyHz);
                Append(edits, ref count, P.EqId(b, P.EqQ), move.Q);
            }

            Append(edits, ref count, P.EqId(b, P.EqGain), Math.Round(amount * move.GainDb, 2));
        }

        if (whole)
        {
            for (int b = bands; b < P.EqBands; b++)
            {
                if ((_assistantBands & (1 << b)) != 0)
                {
                    Append(edits, ref count, P.EqId(b, P.EqEnable), 0);
                }
            }

            _assistantBands = (1 << bands) - 1;
        }
    }

    private static void Append(Span<MmParamPoint> edits, ref int count, uint id, double plain)
    {
        if (count < edits.Length)
        {
            edits[count++] = new MmParamPoint(id, 0, plain);
        }
    }
}
