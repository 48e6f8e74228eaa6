using MixMate.Plugin.Parameters;

namespace MixMate.Plugin.Tone;

/// <summary>Parameter IDs of the "MixMate Tone" instrument. Stable: never renumber.</summary>
public static class ToneParameters
{
    public const uint Signal = 0;
    public const uint SweepSeconds = 1;
    public const uint SweepStartHz = 2;
    public const uint SweepEndHz = 3;
    public const uint GainDb = 4;

    /// <summary>Signal list, in list order (append only).</summary>
    public static readonly string[] Signals = ["sine", "pink noise", "white noise", "log sweep"];

    /// <summary>The list every instance shares (immutable, built once per process).</summary>
    public static ParameterSet Shared { get; } = Create();

    public static ParameterSet Create() => new(
        ParameterDefinition.List(Signal, "Signal", "Signal", Signals, 0),
        ParameterDefinition.Continuous(SweepSeconds, "Sweep Duration", "SweepT", "s", 0.1, 60, 10, decimals: 2, logarithmic: true),
        ParameterDefinition.Continuous(SweepStartHz, "Sweep Start", "SweepLo", "Hz", 10, 24000, 20, decimals: 0, logarithmic: true),
        ParameterDefinition.Continuous(SweepEndHz, "Sweep End", "SweepHi", "Hz", 10, 24000, 20000, decimals: 0, logarithmic: true),
        ParameterDefinition.Continuous(GainDb, "Output Trim", "Trim", "dB", -40, 0, 0));
}
