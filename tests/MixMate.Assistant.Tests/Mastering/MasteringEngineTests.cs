using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.TestSupport;
using Xunit;
using static MixMate.Assistant.Tests.Balance.BalanceTestSignals;

namespace MixMate.Assistant.Tests.Mastering;

/// <summary>The engine's landing: aim a little high, trim down exactly.</summary>
public sealed class MasteringEngineTests
{
    private const double Rate = 48000;

    [Theory]
    [InlineData("spotify")]
    [InlineData("ebu-r128")]
    [InlineData("apple")]
    public void Masters_land_on_the_target_exactly_and_under_the_ceiling_measured_independently(string preset)
    {
        // 20 s of music-like material: a decaying chord on the beat over a noise bed, with peaks
        // the limiter has to catch at every target.
        int frames = (int)(20 * Rate);
        float[] song = Tones(2, frames, [(110, 0.3), (220, 0.15), (330, 0.1), (1320, 0.05)], decayPerBeatSeconds: 0.2);
        float[] bed = Noise(2, frames, 0.02, seed: 9);
        for (int i = 0; i < song.Length; i++)
        {
            song[i] += bed[i];
        }

        LoudnessTarget target = LoudnessTarget.FindPreset(preset)!;
        AudioBlock input = Block(song, 2);
        var output = new float[song.Length];
        MasterResult result = MasteringEngine.Master(input, Rate, Measure(input).IntegratedLufs, Block(output, 2), new MasterSettings(target));

        // libebur128, not our own meter: an error in the meter the engine steers by would cancel out.
        ReferenceLoudness measured = Ebur128Reference.Measure(Block(output, 2), Rate);
        Tolerance.AssertClose(target.Lufs, measured.IntegratedLufs, 0.02, "integrated loudness of the delivered samples (libebur128)");
        Tolerance.AssertClose(target.Lufs, result.OutputIntegratedLufs, 1e-9, "what the engine reports");
        Assert.True(measured.TruePeakDbtp <= target.TruePeakDbtp + 0.05, $"true peak {measured.TruePeakDbtp:0.00} dBTP (libebur128)");
        Assert.InRange(result.Passes.Count, 1, MasteringEngine.MaxRenders);

        // Either the last render landed by itself or it was trimmed down by at most the window.
        Assert.InRange(result.OutputTrimDb, -MasteringEngine.MaxTrimLu, 0);
        if (result.OutputTrimDb < 0)
        {
            Tolerance.AssertClose(target.Lufs - result.OutputTrimDb, result.Passes[^1].Lufs, 1e-9, "the trim is the render's overshoot");
        }
    }

    private static LoudnessMeter Measure(AudioBlock audio)
    {
        var meter = new LoudnessMeter();
        meter.Configure(Rate, audio.Channels, 4096);
        meter.Process(audio);
        return meter;
    }
}
