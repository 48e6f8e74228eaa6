using MixMate.Assistant.Balance;
using MixMate.Assistant.Masking;
using MixMate.Assistant.Roles;
using Xunit;

namespace MixMate.Assistant.Tests;

public sealed class RoleExplanationTests
{
    private static RoleEstimate Heard(params (string Role, double P)[] probabilities)
    {
        var p = TrackRoles.All.ToDictionary(r => r, _ => 0.0);
        foreach ((string role, double value) in probabilities)
        {
            p[role] = value;
        }

        (string top, double best) = probabilities.MaxBy(x => x.P);
        return new RoleEstimate(top, best, p, null);
    }

    [Fact]
    public void The_reason_names_the_evidence_the_runner_up_and_how_sure()
    {
        RoleEstimate unsure = Heard(("bass", 0.45), ("keys", 0.40), ("pad", 0.15));
        Assert.Equal(RoleCertainty.Unsure, unsure.Certainty);
        Assert.Equal("unsure: the role model hears bass 45 %, or keys 40 % (close; set the role if it is wrong)", unsure.Explanation);
        Assert.Equal("bass (unsure: 45 %, or keys 40 %)", RoleExplanation.Short(unsure));

        RoleEstimate flat = Heard(("fx", 0.35), ("pad", 0.15), ("keys", 0.10));
        Assert.Equal(RoleCertainty.Unsure, flat.Certainty);
        Assert.Contains("nothing stands out", flat.Explanation);

        RoleEstimate likely = Heard(("bass", 0.58), ("keys", 0.27));
        Assert.Equal(RoleCertainty.Likely, likely.Certainty);
        Assert.Equal("likely: the role model hears bass 58 %, or keys 27 %", likely.Explanation);

        RoleEstimate confident = Heard(("kick", 0.91), ("snare", 0.04), ("drums", 0.004));
        Assert.Equal(RoleCertainty.Confident, confident.Certainty);
        Assert.Equal("confident: the role model hears kick 91 % (next snare 4 %)", confident.Explanation);
        Assert.Equal("kick (91 %)", RoleExplanation.Short(confident));
        Assert.Equal("confident: the role model hears bass 99 % (next pad under 1 %)", Heard(("bass", 0.993), ("pad", 0.003)).Explanation);

        // At the thresholds exactly.
        Assert.Equal(RoleCertainty.Confident, Heard(("bass", 0.70), ("keys", 0.30)).Certainty);
        Assert.Equal(RoleCertainty.Likely, Heard(("bass", 0.50), ("keys", 0.35)).Certainty);
        Assert.Equal(RoleCertainty.Unsure, Heard(("bass", 0.50), ("keys", 0.36)).Certainty);

        var unknown = new RoleEstimate(null, 0, new Dictionary<string, double>(), "the track is silent");
        Assert.Equal(RoleCertainty.Unknown, unknown.Certainty);
        Assert.Equal("the track is silent", unknown.Explanation);
        Assert.Equal("role unknown", RoleExplanation.Short(unknown));
    }

    [Fact]
    public void A_role_set_by_the_user_has_probability_one_and_keeps_what_the_model_heard()
    {
        RoleEstimate heard = Heard(("bass", 0.62), ("keys", 0.30));
        RoleEstimate set = RoleEstimate.SetByUser("keys", heard);
        Assert.Equal("keys", set.Role);
        Assert.Equal(1.0, set.Confidence);
        Assert.Equal(1.0, set.Probabilities["keys"]);
        Assert.Equal(0.0, set.Probabilities["bass"]);
        Assert.Equal(TrackRoles.All.Count, set.Probabilities.Count);
        Assert.Same(heard, set.Heard);
        Assert.Equal(RoleCertainty.SetByUser, set.Certainty);
        Assert.Equal("set by the user (the model heard bass 62 %)", set.Explanation);
        Assert.Equal(set.Explanation, set.Reason);
        Assert.Equal("keys (set by the user)", RoleExplanation.Short(set));

        // Set twice: still what the model heard, not the first setting.
        Assert.Same(heard, RoleEstimate.SetByUser("pad", set).Heard);
        var silent = new RoleEstimate(null, 0, new Dictionary<string, double>(), "the track is silent");
        Assert.Equal("set by the user (the model could not tell: the track is silent)", RoleEstimate.SetByUser("fx", silent).Explanation);
        Assert.Throws<ArgumentException>(() => RoleEstimate.SetByUser("bassline", heard));
    }

    [Fact]
    public void The_balance_uses_the_users_role_exactly()
    {
        var track = new TrackSummary("t", Heard(("bass", 0.62), ("keys", 0.30)), new ActiveLoudness(-20, -20, -17, 1, 30), [.. Enumerable.Repeat(-35.0, 31)]);
        RoleBalanceTable table = RoleBalanceTable.Default;
        Assert.NotEqual(table.TargetOf("vocal"), BalanceEngine.TargetOf(track, table, 1), 3);
        TrackSummary set = track.WithUserRole("vocal");
        Assert.Equal(table.TargetOf("vocal"), BalanceEngine.TargetOf(set, table, 1), 9);
        Assert.Same(track, track.WithUserRole(null));
        BalanceMove move = BalanceEngine.Propose([set, track with { Name = "u" }])[0];
        Assert.Contains("vocal (set by the user)", move.Reason);
    }

    [Fact]
    public void Masking_priority_is_the_top_roles_only_when_sure()
    {
        Assert.Equal(RolePriority.Of("kick"), RolePriority.Of(Heard(("kick", 0.9), ("bass", 0.1))));
        RoleEstimate unsure = Heard(("bass", 0.5), ("keys", 0.5));
        Assert.Equal((RolePriority.Of("bass") + RolePriority.Of("keys")) / 2.0, RolePriority.Of(unsure), 9);
        Assert.Equal(RolePriority.Of("keys"), RolePriority.Of(RoleEstimate.SetByUser("keys", unsure)));
        Assert.Equal(RolePriority.Unknown, RolePriority.Of(new RoleEstimate(null, 0, new Dictionary<string, double>(), "x")));
    }
}
