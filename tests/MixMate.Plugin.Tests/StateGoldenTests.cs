using System.Buffers.Binary;
using System.Globalization;
using System.Reflection;
using System.Text;
using MixMate.Assistant.Reference;
using MixMate.Dsp.Spectrum;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Session;
using MixMate.Plugin.State;
using Xunit;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Tests;

/// <summary>
/// Saved sessions are a contract. <c>Golden/</c> holds states written by the build before the
/// typed state (StateCodec version 2, positional extras; the commit "State compatibility (issue 17 item 4): golden states …"), each with what
/// that build did with it: the learned loudness, the auto gain, the target curve's name and the
/// host edits an in-session instance makes when the amount is turned to 25 % after loading
/// (the applied suggestion re-scaled). A version 1 state is the version 2 one without its blob.
/// They were made by this file's generator at that commit (<c>MIXMATE_WRITE_STATE_GOLDEN=DIR dotnet
/// test … --filter StateGoldenTests</c> there); the same session run today must save a state that
/// does the same.
/// </summary>
public sealed class StateGoldenTests
{
    internal static readonly string[] Names = ["master-v2", "track-v2", "master-v1"];

    [Fact]
    public void Golden_states_of_the_previous_build_load_with_identical_results()
    {
        foreach (string name in Names)
        {
            byte[] old = Resource(name + ".state");
            string expected = Encoding.UTF8.GetString(Resource(name + ".expected"));
            Assert.Equal(expected, Describe(old));

            // Saved again, the state is version 3 and does the same; saving that once more gives
            // the same bytes.
            var plugin = new MasteringPlugin();
            Assert.True(plugin.LoadState(old));
            byte[] v3 = plugin.SaveState();
            Assert.Equal(StateCodec.Version, BinaryPrimitives.ReadUInt16LittleEndian(v3.AsSpan(4)));
            Assert.Equal(expected, Describe(v3));
            var again = new MasteringPlugin();
            Assert.True(again.LoadState(v3));
            Assert.Equal(v3, again.SaveState());
            Assert.Equal(plugin.State.Applied?.Amount, again.State.Applied?.Amount);
        }
    }

    [Fact]
    public void The_golden_states_load_to_the_typed_values()
    {
        var master = new MasteringPlugin();
        Assert.True(master.LoadState(Resource("master-v2.state")));
        MasteringState m = master.State;
        Assert.Equal(-9.07745330730488, m.LearnedLufs);
        Assert.Equal("golden", master.TargetCurve?.Name);
        Assert.Equal(TargetJson("golden"), m.TargetCurveJson);
        AppliedSuggestion applied = Assert.IsType<AppliedSuggestion>(m.Applied);
        Assert.Equal(0.6, applied.Amount, 12);
        Assert.Equal(6, applied.Suggestion.Eq.Count);
        Assert.Equal(0b111111, applied.AssistantBands);
        Assert.All(applied.Suggestion.Eq, e => Assert.Equal("restored from the saved state", e.Reason));

        var track = new MasteringPlugin();
        Assert.True(track.LoadState(Resource("track-v2.state")));
        Assert.True(double.IsNaN(track.State.LearnedLufs));
        Assert.Null(track.State.TargetCurveJson);
        AppliedSuggestion t = Assert.IsType<AppliedSuggestion>(track.State.Applied);
        Assert.Equal(-15, t.Suggestion.GainDb, 1);
        Assert.Equal(-1, t.Suggestion.Role);
        Assert.Empty(t.Suggestion.Eq);
        Assert.Equal(1.0, t.Amount);

        // Version 1 has no target: everything else as version 2.
        var v1 = new MasteringPlugin();
        Assert.True(v1.LoadState(Resource("master-v1.state")));
        Assert.Null(v1.State.TargetCurveJson);
        Assert.Equal(m.LearnedLufs, v1.State.LearnedLufs);
        Assert.Equal(applied.Suggestion.Eq, v1.State.Applied!.Suggestion.Eq);
    }

    [Fact]
    public void The_same_session_today_saves_a_state_that_does_what_the_golden_one_did()
    {
        Dictionary<string, byte[]> states = Generate();
        Assert.Equal(Encoding.UTF8.GetString(Resource("master-v2.expected")), Describe(states["master-v2"]));
        Assert.Equal(Encoding.UTF8.GetString(Resource("track-v2.expected")), Describe(states["track-v2"]));
    }

    [Fact]
    public void Corrupt_short_or_newer_version_3_states_load_as_defaults()
    {
        byte[] defaults = new MasteringPlugin().SaveState();
        var source = new MasteringPlugin();
        Assert.True(source.LoadState(Resource("master-v2.state")));
        byte[] good = source.SaveState();
        int fieldsAt = 12 + (12 * BinaryPrimitives.ReadUInt16LittleEndian(good.AsSpan(8)));
        var bad = new List<byte[]>();
        for (int n = 0; n < good.Length; n += 7)
        {
            bad.Add(good[..n]);
        }

        byte[] newer = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(newer.AsSpan(4), StateCodec.Version + 1);
        bad.Add(Checksummed(newer));
        byte[] flipped = (byte[])good.Clone();
        flipped[fieldsAt + 9] ^= 0x10;
        bad.Add(flipped);

        // Well checksummed but inconsistent: a field longer than the state, one field too many,
        // a field length that is negative.
        byte[] longField = (byte[])good.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(longField.AsSpan(fieldsAt + 4), good.Length);
        bad.Add(Checksummed(longField));
        byte[] moreFields = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(moreFields.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(good.AsSpan(10)) + 1));
        bad.Add(Checksummed(moreFields));
        byte[] negative = (byte[])good.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(negative.AsSpan(fieldsAt + 4), -8);
        bad.Add(Checksummed(negative));
        foreach (byte[] state in bad)
        {
            var plugin = new MasteringPlugin();
            Assert.True(plugin.LoadState(good));
            Assert.False(plugin.LoadState(state));
            Assert.Equal(defaults, plugin.SaveState());
            Assert.Null(plugin.State.Applied);
            Assert.Null(plugin.TargetCurve);
        }
    }

    [Fact]
    public void Fields_a_later_build_adds_are_ignored_and_wrong_types_read_as_absent()
    {
        var fields = new StateFields();
        fields.SetDouble(MasteringState.LearnedLufsTag, -12.5);
        fields.SetInt32(999, 7);
        fields.SetInt32(MasteringState.AppliedAmountTag, 1); // an int where a double belongs
        fields.SetBytes(MasteringState.AppliedGainTag, [1, 2]);
        var plugin = new MasteringPlugin();
        ParameterSetDefaults(plugin, out double[] normalized);
        Assert.True(plugin.LoadState(StateCodec.Write((ushort)PluginKind.Mastering, plugin.Parameters, normalized, fields)));
        Assert.Equal(-12.5, plugin.State.LearnedLufs);
        Assert.Null(plugin.State.Applied);

        // Out of range values are refused as the version 2 reader refused them.
        var odd = new StateFields();
        odd.SetDouble(MasteringState.LearnedLufsTag, 45);
        odd.SetDouble(MasteringState.AppliedAmountTag, 1.5);
        odd.SetDouble(MasteringState.AppliedGainTag, 3);
        odd.SetBytes(MasteringState.AppliedEqTag, []);
        Assert.True(plugin.LoadState(StateCodec.Write((ushort)PluginKind.Mastering, plugin.Parameters, normalized, odd)));
        Assert.True(double.IsNaN(plugin.State.LearnedLufs));
        Assert.Null(plugin.State.Applied);
    }

    private static void ParameterSetDefaults(MasteringPlugin plugin, out double[] normalized)
    {
        normalized = new double[plugin.Parameters.Count];
        for (int i = 0; i < normalized.Length; i++)
        {
            normalized[i] = plugin.Parameters[i].DefaultNormalized;
        }
    }

    private static byte[] Checksummed(byte[] state)
    {
        uint hash = 2166136261;
        foreach (byte x in state.AsSpan(0, state.Length - 4))
        {
            hash = (hash ^ x) * 16777619;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(state.AsSpan(state.Length - 4), hash);
        return state;
    }

    internal static byte[] Resource(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Golden." + name)
            ?? throw new FileNotFoundException(name);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>What a build does with <paramref name="state"/>, as text: loaded outside a session
    /// (learned loudness, auto gain after setup, target) and in one (the edits at amount 25 %).</summary>
    internal static string Describe(byte[] state)
    {
        var text = new StringBuilder();
        var alone = new MasteringPlugin();
        Assert.True(alone.LoadState(state));
        alone.Setup(48000, 480, 2, 2);
        text.Append(CultureInfo.InvariantCulture, $"learned {alone.LearnedLufs:R}\n");
        text.Append(CultureInfo.InvariantCulture, $"autogain {alone.AutoGainDb:R}\n");
        text.Append(CultureInfo.InvariantCulture, $"target {alone.TargetCurve?.Name ?? "none"}\n");
        for (int i = 0; i < alone.Parameters.Count; i++)
        {
            if (!alone.Parameters[i].IsReadOnly)
            {
                text.Append(CultureInfo.InvariantCulture, $"param {alone.Parameters[i].Id} {alone.GetControllerValue(i):R}\n");
            }
        }

        var session = new MixSession(startThread: false, () => null);
        var member = new MasteringPlugin(session);
        Assert.True(member.LoadState(state));
        int amount = member.Parameters.IndexOf(P.Amount);
        member.SetControllerValue(amount, member.Parameters[amount].ToNormalized(25));
        var edits = new MmParamPoint[64];
        int n = member.PollEdits(edits);
        foreach (MmParamPoint e in edits[..n])
        {
            text.Append(CultureInfo.InvariantCulture, $"edit {e.Id} {e.Value:R}\n");
        }

        member.Release();
        return text.ToString();
    }

    internal static string TargetJson(string name)
    {
        var target = new MatchTarget(name, [.. Enumerable.Range(0, ThirdOctaveBands.Count).Select(b => 4.0 - (b * 0.3))],
            new double[ThirdOctaveBands.Count], -12, 6, -9);
        return new StyleTarget(name, target, -1, []).ToJson();
    }

    // A master (noisy, with a style target, compare on) and two tracks learn through one take;
    // each controller applies what the session suggests; the master's amount is then 60 %. (The
    // previous build saved these as master-v2 and track-v2; master-v1 was master-v2 without its
    // blob, in the version 1 layout.)
    private static Dictionary<string, byte[]> Generate()
    {
        var session = new MixSession(startThread: false, () => null);
        MixSessionTests.Rig a = MixSessionTests.NewInstance(session, mode: 0, s => Signals.FillNoise(s, 3, 0.5));
        MixSessionTests.Rig b = MixSessionTests.NewInstance(session, mode: 0, s => Signals.FillSine(s, 48000, 440, 0.02));
        MixSessionTests.Rig m = MixSessionTests.NewInstance(session, mode: 2, s => Signals.FillNoise(s, 9, 0.3));
        MixSessionTests.Rig[] all = [a, b, m];
        try
        {
            Assert.Null(m.Plugin.LoadTargetCurve(TargetJson("golden")));
            m.Pending.Add(new MmParamPoint(P.Learn, 0, 1));
            m.Pending.Add(new MmParamPoint(P.Compare, 0, 1));
            MixSessionTests.RunTake(session, all);
            m.Pending.Add(new MmParamPoint(P.Learn, 0, 0));
            MixSessionTests.ProcessRound(all, 0);
            session.RunPass();
            MixSessionTests.ProcessRound(all, MixSessionTests.Block);
            session.RunPass();
            var edits = new MmParamPoint[64];
            Assert.True(a.Plugin.PollEdits(edits) > 0);
            Assert.True(m.Plugin.PollEdits(edits) > 0);
            int amount = m.Plugin.Parameters.IndexOf(P.Amount);
            m.Plugin.SetControllerValue(amount, m.Plugin.Parameters[amount].ToNormalized(60));
            Assert.True(m.Plugin.PollEdits(edits) > 0);
            byte[] master = m.Plugin.SaveState();
            byte[] track = a.Plugin.SaveState();
            return new Dictionary<string, byte[]>
            {
                ["master-v2"] = master, // version 3 now
                ["track-v2"] = track, // version 3 now
            };
        }
        finally
        {
            MixSessionTests.Dispose(all);
        }
    }
}
