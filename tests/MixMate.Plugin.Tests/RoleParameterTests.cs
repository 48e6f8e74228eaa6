using MixMate.Assistant.Roles;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Parameters;
using MixMate.Plugin.Session;
using MixMate.Plugin.State;
using Xunit;
using static MixMate.Plugin.Tests.MixSessionTests;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Tests;

/// <summary>
/// The <c>Role</c> parameter (ID 10): the user's role for a track, which the session's balance
/// uses instead of the detected one. As in <see cref="MixSessionTests"/> the session has no model,
/// so every detected role is unknown and the expected balance is exact.
/// </summary>
public sealed class RoleParameterTests
{
    [Fact]
    public void Role_is_an_automatable_list_of_auto_then_every_role_with_a_stable_id()
    {
        ParameterSet set = P.Create();
        ParameterDefinition role = set[set.IndexOf(10)];
        Assert.Equal("Role", role.Title);
        Assert.Equal(P.Role, role.Id);
        Assert.Equal(["auto", .. TrackRoles.All], role.Choices);
        Assert.Equal(ParameterScale.List, role.Scale);
        Assert.False(role.IsReadOnly);
        Assert.Equal(1, role.Flags & 1); // automatable
        Assert.Equal(0, role.ToPlain(role.DefaultNormalized));
        Assert.Equal(TrackRoles.All.Count, role.StepCount);
        Assert.True(role.TryParse("bass", out double bass));
        Assert.Equal("bass", role.Format(bass));

        // Added at the end: every earlier parameter keeps its index.
        Assert.Equal(set.IndexOf(P.ClippedRuns) - 1, set.IndexOf(P.Role));
        Assert.Equal(set.IndexOf(P.SessionTracks) + 1, set.IndexOf(P.Role));
    }

    [Fact]
    public void The_role_survives_a_state_round_trip_and_old_states_load_as_auto()
    {
        var a = new MasteringPlugin();
        int index = a.Parameters.IndexOf(P.Role);
        double keys = a.Parameters[index].ToNormalized(TrackRoles.IndexOf("keys") + 1);
        a.SetControllerValue(index, keys);
        byte[] state = a.SaveState();
        var b = new MasteringPlugin();
        Assert.True(b.LoadState(state));
        Assert.Equal(keys, b.GetControllerValue(index));
        Assert.Equal(keys, b.GetProcessorValue(index));
        Assert.Equal(state, b.SaveState());

        // A state saved before the parameter existed (the same layout without ID 10) loads, keeps
        // its values and leaves the role on auto.
        ParameterSet current = P.Create();
        ParameterDefinition[] before = [.. Enumerable.Range(0, current.Count).Select(i => current[i]).Where(d => d.Id != P.Role)];
        var old = new ParameterSet(before);
        double[] values = [.. before.Select(d => d.Id == P.InputGainDb ? 0.75 : d.DefaultNormalized)];
        byte[] oldState = StateCodec.WriteVersion2((ushort)PluginKind.Mastering, old, values, [double.NaN]);
        var c = new MasteringPlugin();
        c.SetControllerValue(index, keys);
        Assert.True(c.LoadState(oldState));
        Assert.Equal(0, c.Parameters[index].ToPlain(c.GetControllerValue(index)));
        Assert.Equal(0.75, c.GetControllerValue(c.Parameters.IndexOf(P.InputGainDb)));

        // And a build without the parameter reads the new state (the role skipped, the rest kept),
        // so adding a parameter needs no new layout version.
        var read = new double[old.Count];
        Assert.True(StateCodec.Read(state, (ushort)PluginKind.Mastering, old, read));
    }

    [Fact]
    public void The_session_balances_a_track_by_the_role_the_user_set()
    {
        double[] auto = Take(null, out _, out _);
        double[] vocal = Take("vocal", out Suggestion first, out int detectedMeter);

        // Unknown roles all share one target; vocal sits the session's table's distance above it.
        Assistant.Balance.RoleBalanceTable table = Assistant.Balance.LearnedBalanceTable.Load(MixSession.DefaultModelsDirectory(), out _);
        double lift = table.TargetOf("vocal") - table.UnknownLu;
        Assert.Equal(auto[0] + (lift * 2 / 3), vocal[0], 1);
        Assert.Equal(auto[1] - (lift / 3), vocal[1], 1);
        Assert.Equal(auto[2] - (lift / 3), vocal[2], 1);
        Assert.Equal(TrackRoles.IndexOf("vocal"), first.Role);
        Assert.Equal(TrackRoles.IndexOf("vocal") + 1, detectedMeter);
        Assert.StartsWith("set by the user (the model could not tell: ", first.RoleReason);
    }

    [Fact]
    public void Setting_the_role_after_a_take_updates_the_suggestion_without_moving_the_fader()
    {
        var session = new MixSession(startThread: false, () => null);
        Rig[] rigs = Tracks(session);
        try
        {
            Listen(session, rigs);
            Assert.Equal(-1, rigs[1].Plugin.Member!.Latest!.Role);
            Assert.All(rigs, r => Assert.NotEmpty(Poll(r)));
            Assert.False(session.RunPass());

            rigs[1].Pending.Add(Point(P.Role, RoleNormalized(rigs[1], "pad")));
            ProcessRound(rigs, 0);
            Assert.True(session.RunPass()); // the role changed: recomputed
            Assert.Equal(TrackRoles.IndexOf("pad"), rigs[1].Plugin.Member!.Latest!.Role);
            Assert.Contains("set by the user", rigs[1].Plugin.Member!.Latest!.RoleReason);
            Assert.All(rigs, r => Assert.Empty(Poll(r)));
            ProcessRound(rigs, Block);
            Assert.False(session.RunPass());

            // Back to auto: unknown again.
            rigs[1].Pending.Add(Point(P.Role, 0));
            ProcessRound(rigs, 0);
            Assert.True(session.RunPass());
            Assert.Equal(-1, rigs[1].Plugin.Member!.Latest!.Role);
        }
        finally
        {
            Dispose(rigs);
        }
    }

    // One take of three tracks (track 0's role set to `role`, or auto); the applied gains.
    private static double[] Take(string? role, out Suggestion first, out int detectedMeter)
    {
        var session = new MixSession(startThread: false, () => null);
        Rig[] rigs = Tracks(session);
        try
        {
            if (role is not null)
            {
                rigs[0].Pending.Add(Point(P.Role, RoleNormalized(rigs[0], role)));
            }

            Listen(session, rigs);
            first = rigs[0].Plugin.Member!.Latest!;
            var gains = new double[rigs.Length];
            for (int i = 0; i < rigs.Length; i++)
            {
                MmParamPoint gain = Assert.Single(Poll(rigs[i]), e => e.Id == P.BalanceGainDb);
                gains[i] = rigs[i].Plugin.Parameters[rigs[i].Plugin.Parameters.IndexOf(P.BalanceGainDb)].ToPlain(gain.Value);
            }

            ProcessRound(rigs, 0); // publishes the meters
            int meter = rigs[0].Plugin.Parameters.IndexOf(P.DetectedRole);
            detectedMeter = (int)rigs[0].Plugin.Parameters[meter].ToPlain(rigs[0].Plugin.GetProcessorValue(meter));
            return gains;
        }
        finally
        {
            Dispose(rigs);
        }
    }

    private static Rig[] Tracks(MixSession session) =>
    [
        NewInstance(session, mode: 0, s => Signals.FillNoise(s, 7, 0.2)),
        NewInstance(session, mode: 0, s => Signals.FillSine(s, 48000, 220, 0.1)),
        NewInstance(session, mode: 0, s => Signals.FillSine(s, 48000, 3000, 0.1)),
    ];

    // Every track listens for one take (its own learn on, then off); the final suggestions are made.
    private static void Listen(MixSession session, Rig[] rigs)
    {
        foreach (Rig r in rigs)
        {
            r.Pending.Add(Point(P.Learn, 1));
        }

        for (int offset = 0; offset + Block <= TakeFrames; offset += Block)
        {
            ProcessRound(rigs, offset);
            if ((offset / Block) % 3 == 0)
            {
                session.RunPass();
            }
        }

        foreach (Rig r in rigs)
        {
            r.Pending.Add(Point(P.Learn, 0));
        }

        ProcessRound(rigs, 0);
        Assert.True(session.RunPass());
    }

    private static double RoleNormalized(Rig r, string role) =>
        r.Plugin.Parameters[r.Plugin.Parameters.IndexOf(P.Role)].ToNormalized(TrackRoles.IndexOf(role) + 1);

    private static List<MmParamPoint> Poll(Rig r)
    {
        var edits = new MmParamPoint[64];
        int n = r.Plugin.PollEdits(edits);
        return [.. edits[..n]];
    }

    private static MmParamPoint Point(uint id, double normalized) => new(id, 0, normalized);
}
