using MixMate.Assistant.Models;
using MixMate.Assistant.Roles;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;

namespace MixMate.Assistant.Balance;

/// <summary>Turns a track's audio into the <see cref="TrackSummary"/> the engines work on.</summary>
public static class TrackAnalyzer
{
    /// <summary>
    /// [analysis thread; one call per <paramref name="roles"/> engine at a time] Measures active
    /// loudness and the third-octave spectrum and asks <paramref name="roles"/> for the role (null:
    /// role unknown). Mono audio is summarised as it sounds in the centre of a stereo mix with a
    /// −3 dB pan law (the same loudness and band power).
    /// </summary>
    public static TrackSummary Analyze(string name, AudioBlock audio, double sampleRate, SuggestionEngine? roles)
    {
        ActiveLoudness loudness = ActiveLoudnessMeasure.Measure(audio, sampleRate);
        double[] bands = TonalBalance.MeasureBands(audio, sampleRate);
        RoleEstimate role = roles is null
            ? new RoleEstimate(null, 0, new Dictionary<string, double>(), "no role detection was available")
            : roles.EstimateRole(audio, sampleRate);
        return new TrackSummary(name, role, loudness, bands);
    }
}
