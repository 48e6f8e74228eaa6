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

    [Fact]
    public void Loudness_the_transparent_limiter_cannot_reach_is_reached_with_the_dense_character_and_said_so()
    {
        // A drum loop: a kick every half second, a (band-limited) hat every eighth, a low bass note under them. The
        // hats keep the transparent limiter in sustained reduction (slow release), so more gain soon
        // stops adding loudness; the dense character recovers between the hits.
        int frames = (int)(20 * Rate);
        var loop = new float[2 * frames];
        for (int i = 0; i < frames; i++)
        {
            double t = i / Rate;
            double kick = t % 0.5, hat = t % 0.125;
            double x = (0.9 * Math.Sin(2 * Math.PI * 55 * kick) * Math.Exp(-kick / 0.12))
                + (0.2 * (Math.Sin(2 * Math.PI * 5100 * t) + Math.Sin(2 * Math.PI * 7300 * t) + Math.Sin(2 * Math.PI * 9100 * t)) * Math.Exp(-hat / 0.01))
                + (0.08 * Math.Sin(2 * Math.PI * 82.4 * t));
            loop[i] = (float)x;
            loop[frames + i] = (float)(0.9 * x);
        }

        AudioBlock input = Block(loop, 2);
        double inputLufs = Measure(input).IntegratedLufs;
        LoudnessTarget target = LoudnessTarget.Custom(-7, -1);
        var settings = new MasterSettings(target, EqMode.Off);

        var transparent = new float[loop.Length];
        MasterResult shortOf = MasteringEngine.Master(input, Rate, inputLufs, Block(transparent, 2), settings with { DenseLimiterWhenShort = false });
        Assert.True(shortOf.Shortfall is { AtUsefulGainLimit: true }, $"the transparent limiter reached {shortOf.OutputIntegratedLufs:0.00} LUFS");

        var delivered = new float[loop.Length];
        MasterResult result = MasteringEngine.Master(input, Rate, inputLufs, Block(delivered, 2), settings);
        Assert.Equal(Dsp.Dynamics.LimiterCharacter.Dense, result.LimiterCharacter);
        Tolerance.AssertClose(shortOf.OutputIntegratedLufs, result.TransparentLufs!.Value, 1e-9, "the loudness the transparent limiter reached");
        Assert.True(result.OutputIntegratedLufs > shortOf.OutputIntegratedLufs + 1, $"dense {result.OutputIntegratedLufs:0.00} LUFS vs transparent {shortOf.OutputIntegratedLufs:0.00}");
        Assert.StartsWith("the transparent limiter reached only", result.Warnings[0], StringComparison.Ordinal);

        // What is delivered is the dense master itself, measured independently, under the ceiling.
        var dense = new float[loop.Length];
        MasteringEngine.Master(input, Rate, inputLufs, Block(dense, 2), settings with { LimiterCharacter = Dsp.Dynamics.LimiterCharacter.Dense });
        Assert.Equal(dense, delivered);
        ReferenceLoudness measured = Ebur128Reference.Measure(Block(delivered, 2), Rate);
        Tolerance.AssertClose(result.OutputIntegratedLufs, measured.IntegratedLufs, 0.05, "integrated loudness (libebur128)");
        Assert.True(measured.TruePeakDbtp <= target.TruePeakDbtp + 0.05, $"true peak {measured.TruePeakDbtp:0.00} dBTP (libebur128)");
    }

    [Fact]
    public void A_reachable_target_keeps_the_transparent_character()
    {
        int frames = (int)(10 * Rate);
        float[] song = Tones(2, frames, [(110, 0.3), (220, 0.15), (330, 0.1)], decayPerBeatSeconds: 0.2);
        AudioBlock input = Block(song, 2);
        MasterResult result = MasteringEngine.Master(input, Rate, Measure(input).IntegratedLufs, Block(new float[song.Length], 2),
            new MasterSettings(LoudnessTarget.FindPreset("spotify")!, EqMode.Off));
        Assert.Equal(Dsp.Dynamics.LimiterCharacter.Transparent, result.LimiterCharacter);
        Assert.Null(result.TransparentLufs);
        Assert.Null(result.Shortfall);
    }

    private static LoudnessMeter Measure(AudioBlock audio)
    {
        var meter = new LoudnessMeter();
        meter.Configure(Rate, audio.Channels, 4096);
        meter.Process(audio);
        return meter;
    }
}
