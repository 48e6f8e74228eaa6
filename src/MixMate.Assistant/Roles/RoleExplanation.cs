using System.Globalization;

namespace MixMate.Assistant.Roles;

/// <summary>
/// The one place that turns a <see cref="RoleEstimate"/> into words and a certainty: the
/// <c>roleReason</c> of <c>mixmate suggest --json</c>, the mix report, the balance reasons and the
/// plug-in session's log all read it from here.
/// </summary>
/// <remarks>
/// <para>Certainty, from the role model's probabilities (calibrated, so a probability reads as the
/// share of such calls that are right — see <c>models/role/MODEL_CARD.md</c>):</para>
/// <code>
/// confident   top ≥ 70 %                                   (the runner-up is then ≤ 30 %)
/// unsure      top &lt; 40 %, or the runner-up within 15 points of the top
/// likely      everything between
/// </code>
/// <para>The thresholds are chosen, not fitted: 70 % is where, on calibrated outputs, seven calls
/// in ten are right and no other role can hold more than the remainder; below a 15-point margin
/// the runner-up is a live alternative (the demo's keys stem, heard as bass 45 %, keys 31 %, is
/// unsure); with 15 roles a top below 40 % means nothing stands out, whatever the margin.
/// Probabilities print as whole percents ("under 1 %" for a small non-zero one).</para>
/// </remarks>
public static class RoleExplanation
{
    /// <summary>A top probability at or above this is confident.</summary>
    public const double ConfidentProbability = 0.70;

    /// <summary>A top probability below this is unsure.</summary>
    public const double UnsureProbability = 0.40;

    /// <summary>A runner-up closer than this to the top (probability points, 0..1) makes it unsure.</summary>
    public const double UnsureMargin = 0.15;

    /// <summary>[any thread] The certainty of <paramref name="estimate"/> (see remarks).</summary>
    public static RoleCertainty CertaintyOf(RoleEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (estimate.IsSetByUser)
        {
            return RoleCertainty.SetByUser;
        }

        if (estimate.Role is null)
        {
            return RoleCertainty.Unknown;
        }

        double top = estimate.Confidence;
        double second = RunnerUp(estimate) is (_, double p) ? p : 0;
        if (top >= ConfidentProbability)
        {
            return RoleCertainty.Confident;
        }

        return top < UnsureProbability || top - second < UnsureMargin ? RoleCertainty.Unsure : RoleCertainty.Likely;
    }

    /// <summary>[any thread] The full sentence (<c>roleReason</c>): certainty, evidence and the
    /// runner-up — e.g. "unsure: the role model hears bass 45 %, or keys 40 % (close; set the role
    /// if it is wrong)"; the user's setting; or why the role is unknown.</summary>
    public static string Describe(RoleEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        RoleCertainty certainty = CertaintyOf(estimate);
        switch (certainty)
        {
            case RoleCertainty.SetByUser:
                return SetByUser(estimate.Heard!);
            case RoleCertainty.Unknown:
                return estimate.Reason ?? "role unknown";
        }

        string top = Percent(estimate.Role!, estimate.Confidence);
        (string Role, double P)? next = RunnerUp(estimate);
        return certainty switch
        {
            RoleCertainty.Confident => next is (string r, double p)
                ? $"confident: the role model hears {top} (next {Percent(r, p)})"
                : $"confident: the role model hears {top}",
            RoleCertainty.Likely => $"likely: the role model hears {top}{Or(next)}",
            _ => $"unsure: the role model hears {top}{Or(next)} ({(next is (_, double q) && estimate.Confidence - q < UnsureMargin ? "close" : "nothing stands out")}; set the role if it is wrong)",
        };
    }

    /// <summary>[any thread] The short form balance reasons use: "kick (91 %)", "bass (58 %, or
    /// keys 27 %)", "bass (unsure: 45 %, or keys 40 %)", "keys (set by the user)", "role unknown".</summary>
    public static string Short(RoleEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        RoleCertainty certainty = CertaintyOf(estimate);
        if (certainty == RoleCertainty.Unknown)
        {
            return "role unknown";
        }

        if (certainty == RoleCertainty.SetByUser)
        {
            return $"{estimate.Role} (set by the user)";
        }

        string p = Number(estimate.Confidence);
        (string Role, double P)? next = RunnerUp(estimate);
        return certainty switch
        {
            RoleCertainty.Confident => $"{estimate.Role} ({p})",
            RoleCertainty.Likely => $"{estimate.Role} ({p}{Or(next)})",
            _ => $"{estimate.Role} (unsure: {p}{Or(next)})",
        };
    }

    /// <summary>[any thread] The reason of a role set by the user over <paramref name="heard"/>:
    /// "set by the user (the model heard bass 62 %)".</summary>
    public static string SetByUser(RoleEstimate heard)
    {
        ArgumentNullException.ThrowIfNull(heard);
        return heard.Role is null
            ? $"set by the user (the model could not tell: {heard.Reason ?? "no estimate"})"
            : $"set by the user (the model heard {Percent(heard.Role, heard.Confidence)})";
    }

    /// <summary>[any thread] The second most probable role and its probability, or null when there
    /// is none (ties go to the earlier role of <see cref="TrackRoles.All"/>).</summary>
    public static (string Role, double Probability)? RunnerUp(RoleEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        (string Role, double Probability)? best = null;
        foreach (string role in TrackRoles.All)
        {
            if (role == estimate.Role || !estimate.Probabilities.TryGetValue(role, out double p) || !(p > 0))
            {
                continue;
            }

            if (best is null || p > best.Value.Probability)
            {
                best = (role, p);
            }
        }

        return best;
    }

    private static string Or((string Role, double P)? next) => next is (string r, double p) ? $", or {Percent(r, p)}" : string.Empty;

    private static string Percent(string role, double p) => $"{role} {Number(p)}";

    private static string Number(double p) => p > 0 && Math.Round(p * 100) == 0
        ? "under 1 %"
        : (Math.Round(p * 100) + 0.0).ToString("0", CultureInfo.InvariantCulture) + " %";
}
