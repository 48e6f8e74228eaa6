using MixMate.Assistant.Roles;

namespace MixMate.Assistant.Balance;

/// <summary>
/// Everything the balance and masking engines know about one track: small, immutable and free of
/// audio, so a host (the CLI, or the plug-ins' shared in-process session on a background thread)
/// can collect summaries as tracks are analysed and re-run the engines at any time.
/// </summary>
/// <param name="Name">How reasons name the track (file name, channel name).</param>
/// <param name="Role">The role estimate (role null with a reason when unknown).</param>
/// <param name="Loudness">Active loudness of the track as it enters the mix.</param>
/// <param name="BandsDb">Long-term spectrum in the 31 ISO third-octave bands, 20 Hz–20 kHz (dB, −∞ where empty).</param>
public sealed record TrackSummary(string Name, RoleEstimate Role, ActiveLoudness Loudness, IReadOnlyList<double> BandsDb)
{
    /// <summary>[any thread] A summary of the same track after a gain change.</summary>
    public TrackSummary WithGain(double gainDb) =>
        this with { Loudness = Loudness.WithGain(gainDb), BandsDb = [.. BandsDb.Select(b => b + gainDb)] };

    /// <summary>[any thread] The same track with the role the user set (<see cref="RoleEstimate.SetByUser"/>);
    /// null keeps the role as heard. Applied before any engine runs, so every engine sees it.</summary>
    public TrackSummary WithUserRole(string? role) => role is null ? this : this with { Role = RoleEstimate.SetByUser(role, Role) };
}
