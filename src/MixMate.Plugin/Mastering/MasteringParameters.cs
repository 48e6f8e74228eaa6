using MixMate.Dsp.Filters;
using MixMate.Plugin.Parameters;

namespace MixMate.Plugin.Mastering;

/// <summary>
/// Parameter IDs of the "MixMate" effect. These numbers are in every saved session and every
/// automation lane: never renumber or reuse one; add new ones with new IDs.
/// </summary>
public static class MasteringParameters
{
    public const uint Bypass = 0;
    public const uint Mode = 1;
    public const uint Target = 2;
    public const uint TargetLufs = 3;
    public const uint CeilingDbtp = 4;
    public const uint InputGainDb = 5;
    public const uint Limiter = 6;
    public const uint Learn = 7;
    public const uint Amount = 8;

    /// <summary>The level move the mix assistant applied to this track (host-edited at the end of
    /// a take, scaled by <see cref="Amount"/>); the user may move it like any fader.</summary>
    public const uint BalanceGainDb = 9;

    /// <summary>The role the user sets for this track (list: "auto", then
    /// <see cref="MixMate.Assistant.Roles.TrackRoles.All"/>): anything but auto overrides
    /// <see cref="DetectedRole"/> in the session's balance and masking. Discrete, automatable.</summary>
    public const uint Role = 10;

    /// <summary>A/B at equal loudness: while on, the listener hears the input (delayed by the
    /// latency) brought to the processed output's short-term loudness, so the comparison is of
    /// what the processing does, not of how much louder it makes the track.</summary>
    public const uint Compare = 11;

    /// <summary>EQ band b (0…5) uses IDs 100 + 10·b + {0 enable, 1 frequency, 2 gain, 3 Q, 4 type}.</summary>
    public const uint EqBase = 100;
    public const int EqBands = 6;
    public const uint EqEnable = 0;
    public const uint EqFrequency = 1;
    public const uint EqGain = 2;
    public const uint EqQ = 3;
    public const uint EqType = 4;

    public const uint MomentaryLufs = 200;
    public const uint ShortTermLufs = 201;
    public const uint IntegratedLufs = 202;
    public const uint LoudnessRange = 203;
    public const uint TruePeakDbtp = 204;
    public const uint GainReductionDb = 205;

    /// <summary>The session's suggested level move for this track (read-only), dB.</summary>
    public const uint SuggestedGainDb = 206;

    /// <summary>The role the session hears in this track (read-only list: "unknown", then
    /// <see cref="MixMate.Assistant.Roles.TrackRoles.All"/>).</summary>
    public const uint DetectedRole = 207;

    /// <summary>Track-mode instances in the session (read-only).</summary>
    public const uint SessionTracks = 208;

    /// <summary>Runs of clipped samples in the input since activation (read-only count; the rule
    /// of <c>mixmate check</c>'s clipping at full scale).</summary>
    public const uint ClippedRuns = 209;

    /// <summary>Overs of 0 dBTP in the input since activation (read-only count).</summary>
    public const uint TruePeakOvers = 210;

    /// <summary>L/R correlation of the input over the last 2 s (read-only, −1…+1).</summary>
    public const uint Correlation = 211;

    /// <summary>Polarity/phase of the input (read-only list <see cref="PhaseChoices"/>, by the
    /// rules of <c>mixmate check</c>'s polarity and phase).</summary>
    public const uint Phase = 212;

    /// <summary>Left minus right level of the input over the last 3 s, dB (read-only).</summary>
    public const uint StereoBalanceDb = 213;

    /// <summary>The gain that matches the input to the processed output (read-only, dB): how much
    /// louder the processing makes the track — the gain <see cref="Compare"/> applies.</summary>
    public const uint CompareGainDb = 214;

    /// <summary>Largest count <see cref="ClippedRuns"/> and <see cref="TruePeakOvers"/> show.</summary>
    public const double MaxCount = 100000;

    public static readonly string[] Modes = ["track", "bus", "master"];

    /// <summary>Choices of <see cref="Phase"/> in <see cref="MixMate.Dsp.Metering.LivePhase"/> order.</summary>
    public static readonly string[] PhaseChoices = ["ok", "low end out of phase", "inverted channel"];

    /// <summary>Choices of <see cref="Role"/>: list index = role index + 1, 0 = auto (as detected).</summary>
    public static readonly string[] UserRoleChoices = ["auto", .. MixMate.Assistant.Roles.TrackRoles.All];

    /// <summary>Choices of <see cref="DetectedRole"/>: list index = role index + 1.</summary>
    public static readonly string[] RoleChoices = ["unknown", .. MixMate.Assistant.Roles.TrackRoles.All];

    /// <summary>Band types in list order (maps to <see cref="FilterType"/> through <see cref="EqTypeOf"/>).</summary>
    public static readonly string[] EqTypes = ["peak", "low shelf", "high shelf", "high pass", "low pass"];

    private static readonly double[] s_bandFrequencies = [100, 250, 800, 2500, 6000, 10000];
    private static readonly int[] s_bandTypes = [1, 0, 0, 0, 0, 2];

    public static uint EqId(int band, uint field) => EqBase + (uint)(10 * band) + field;

    /// <summary>The filter shape of EQ type list index <paramref name="index"/>.</summary>
    public static FilterType EqTypeOf(int index) => index switch
    {
        1 => FilterType.LowShelf,
        2 => FilterType.HighShelf,
        3 => FilterType.HighPass12,
        4 => FilterType.LowPass12,
        _ => FilterType.Peak,
    };

    /// <summary>The list index of <paramref name="type"/> (0, peak, for a shape the list lacks).</summary>
    public static int EqTypeIndex(FilterType type)
    {
        for (int i = 0; i < EqTypes.Length; i++)
        {
            if (EqTypeOf(i) == type)
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>The list every instance shares (immutable; built once per process, so a further
    /// instance does not rebuild ~50 definitions and their strings).</summary>
    public static ParameterSet Shared { get; } = Create();

    /// <summary>Builds the parameter list in display order.</summary>
    public static ParameterSet Create()
    {
        var list = new List<ParameterDefinition>
        {
            ParameterDefinition.Toggle(Bypass, "Bypass", "Byp", defaultOn: false, isBypass: true),
            ParameterDefinition.List(Mode, "Mode", "Mode", Modes, 2),
            ParameterDefinition.List(Target, "Target", "Target", LoudnessTargets.Names, 0),
            ParameterDefinition.Continuous(TargetLufs, "Target Loudness (custom)", "TgtLUFS", "LUFS", -36, -6, -14),
            ParameterDefinition.Continuous(CeilingDbtp, "Ceiling (custom)", "Ceiling", "dBTP", -12, 0, -1),
            ParameterDefinition.Continuous(InputGainDb, "Input Gain", "InGain", "dB", -24, 24, 0),
            ParameterDefinition.Toggle(Limiter, "Limiter", "Limit", defaultOn: true),
            ParameterDefinition.Toggle(Learn, "Learn", "Learn", defaultOn: false),
            ParameterDefinition.Continuous(Amount, "Amount", "Amount", "%", 0, 100, 100, decimals: 0),
        };
        for (int b = 0; b < EqBands; b++)
        {
            string n = (b + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            list.Add(ParameterDefinition.Toggle(EqId(b, EqEnable), $"EQ {n} On", $"EQ{n}On", defaultOn: false));
            list.Add(ParameterDefinition.Continuous(EqId(b, EqFrequency), $"EQ {n} Frequency", $"EQ{n}Hz", "Hz", 20, 20000,
                s_bandFrequencies[b], decimals: 0, logarithmic: true));
            list.Add(ParameterDefinition.Continuous(EqId(b, EqGain), $"EQ {n} Gain", $"EQ{n}dB", "dB", -24, 24, 0));
            list.Add(ParameterDefinition.Continuous(EqId(b, EqQ), $"EQ {n} Q", $"EQ{n}Q", string.Empty, 0.1, 10, 0.707,
                decimals: 2, logarithmic: true));
            list.Add(ParameterDefinition.List(EqId(b, EqType), $"EQ {n} Type", $"EQ{n}Typ", EqTypes, s_bandTypes[b]));
        }

        list.Add(ParameterDefinition.Meter(MomentaryLufs, "Momentary Loudness", "M", "LUFS", -70, 6, -70));
        list.Add(ParameterDefinition.Meter(ShortTermLufs, "Short-term Loudness", "S", "LUFS", -70, 6, -70));
        list.Add(ParameterDefinition.Meter(IntegratedLufs, "Integrated Loudness", "I", "LUFS", -70, 6, -70));
        list.Add(ParameterDefinition.Meter(LoudnessRange, "Loudness Range", "LRA", "LU", 0, 40, 0));
        list.Add(ParameterDefinition.Meter(TruePeakDbtp, "True Peak", "TP", "dBTP", -70, 12, -70));
        list.Add(ParameterDefinition.Meter(GainReductionDb, "Gain Reduction", "GR", "dB", 0, 40, 0));

        // Added with the mix session; at the end so earlier parameters keep their indices.
        list.Add(ParameterDefinition.Continuous(BalanceGainDb, "Balance Gain", "Balance", "dB", -24, 24, 0));
        list.Add(ParameterDefinition.Meter(SuggestedGainDb, "Suggested Gain", "Suggest", "dB", -48, 48, 0));
        list.Add(ParameterDefinition.ReadOnlyList(DetectedRole, "Detected Role", "Role", RoleChoices, 0));
        list.Add(ParameterDefinition.Meter(SessionTracks, "Session Tracks", "Tracks", string.Empty, 0, 256, 0));

        // Added with the user's role override; at the end for the same reason.
        list.Add(ParameterDefinition.List(Role, "Role", "SetRole", UserRoleChoices, 0));

        // What the input sounds like (issue 16's problems, heard live); read-only, never saved.
        list.Add(ParameterDefinition.Reading(ClippedRuns, "Clipped Runs", "Clips", string.Empty, 0, MaxCount, 0, decimals: 0));
        list.Add(ParameterDefinition.Reading(TruePeakOvers, "True-Peak Overs", "Overs", string.Empty, 0, MaxCount, 0, decimals: 0));
        list.Add(ParameterDefinition.Reading(Correlation, "Correlation", "Corr", string.Empty, -1, 1, 0, decimals: 2));
        list.Add(ParameterDefinition.ReadOnlyList(Phase, "Phase", "Phase", PhaseChoices, 0));
        list.Add(ParameterDefinition.Reading(StereoBalanceDb, "Stereo Balance", "Balance", "dB", -40, 40, 0, decimals: 1));

        // Loudness-matched A/B (issue 17); at the end for the same reason.
        list.Add(ParameterDefinition.Toggle(Compare, "Compare (equal loudness)", "A/B", defaultOn: false));
        list.Add(ParameterDefinition.Reading(CompareGainDb, "Compare Gain", "A/B dB", "dB", -24, 24, 0, decimals: 1));
        return new ParameterSet([.. list]);
    }
}
