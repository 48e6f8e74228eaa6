using System.Globalization;

namespace MixMate.Assistant.Loudness;

/// <summary>
/// A delivery target: integrated loudness (LUFS) and true-peak ceiling (dBTP). Presets follow the
/// platforms' published delivery specifications as of 2026 (streaming services normalise playback
/// to these levels) and the broadcast recommendations EBU R128 (−23 LUFS, −1 dBTP) and ATSC A/85
/// (−24 LKFS, −2 dBTP).
/// </summary>
/// <param name="Preset">Preset name, or <c>custom</c>.</param>
/// <param name="Lufs">Integrated loudness to reach.</param>
/// <param name="TruePeakDbtp">Ceiling the output's true peak must not exceed.</param>
public sealed record LoudnessTarget(string Preset, double Lufs, double TruePeakDbtp)
{
    /// <summary>Sensible range for a custom integrated target; outside it the request is a mistake.</summary>
    public const double MinLufs = -40, MaxLufs = -5;

    /// <summary>Sensible range for a custom ceiling. Above 0 dBTP the output would clip on playback.</summary>
    public const double MinCeilingDbtp = -12, MaxCeilingDbtp = 0;

    /// <summary>Every preset, in the order the help text lists them.</summary>
    public static IReadOnlyList<LoudnessTarget> Presets { get; } =
    [
        new("spotify", -14, -1),
        new("apple", -16, -1),
        new("youtube", -14, -1) { Normalisation = PlaybackNormalisation.DownOnly },
        new("tidal", -14, -1) { Normalisation = PlaybackNormalisation.DownOnly },
        new("amazon", -14, -2) { Normalisation = PlaybackNormalisation.DownOnly },
        new("deezer", -15, -1) { Normalisation = PlaybackNormalisation.DownOnly },
        new("ebu-r128", -23, -1) { Normalisation = PlaybackNormalisation.Both },
        new("atsc-a85", -24, -2) { Normalisation = PlaybackNormalisation.Both },
        new("podcast", -16, -1),
    ];

    /// <summary>How the platform levels programmes on playback (default: turned up only within the
    /// true-peak headroom).</summary>
    public PlaybackNormalisation Normalisation { get; init; } = PlaybackNormalisation.UpWithinPeakHeadroom;

    /// <summary>The preset called <paramref name="name"/>, or null.</summary>
    public static LoudnessTarget? FindPreset(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Preset, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A custom target, validated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The loudness or ceiling is outside the sensible range.</exception>
    public static LoudnessTarget Custom(double lufs, double truePeakDbtp)
    {
        if (!(lufs >= MinLufs && lufs <= MaxLufs))
        {
            throw new ArgumentOutOfRangeException(nameof(lufs), lufs, string.Create(CultureInfo.InvariantCulture,
                $"target loudness {lufs} LUFS makes no sense (use {MinLufs} to {MaxLufs})"));
        }

        if (!(truePeakDbtp >= MinCeilingDbtp && truePeakDbtp <= MaxCeilingDbtp))
        {
            throw new ArgumentOutOfRangeException(nameof(truePeakDbtp), truePeakDbtp, string.Create(CultureInfo.InvariantCulture,
                $"true-peak ceiling {truePeakDbtp} dBTP makes no sense (use {MinCeilingDbtp} to {MaxCeilingDbtp})"));
        }

        return new LoudnessTarget("custom", lufs, truePeakDbtp);
    }

    /// <summary>How many dB a platform normalising to this target would change a programme of
    /// <paramref name="integratedLufs"/> (negative: turned down), as its <see cref="Normalisation"/>
    /// behaves: a louder programme is turned down to the target everywhere; a quieter one is raised
    /// by target − I (<see cref="PlaybackNormalisation.Both"/>), by as much of it as keeps the true
    /// peak under this target's ceiling (<see cref="PlaybackNormalisation.UpWithinPeakHeadroom"/>), or
    /// not at all (<see cref="PlaybackNormalisation.DownOnly"/>).</summary>
    public double PlaybackGainDb(double integratedLufs, double truePeakDbtp)
    {
        double gain = Lufs - integratedLufs;
        if (gain <= 0)
        {
            return gain;
        }

        return Normalisation switch
        {
            PlaybackNormalisation.DownOnly => 0,
            PlaybackNormalisation.Both => gain,
            _ => Math.Min(gain, Math.Max(0, TruePeakDbtp - truePeakDbtp)),
        };
    }
}
