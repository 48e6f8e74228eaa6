using BenchmarkDotNet.Attributes;
using MixMate.Dsp.Loudness;

namespace MixMate.Benchmarks;

/// <summary>
/// Issue 2: a full analysis (integrated + LRA + true peak + sample peak, everything
/// <c>mixmate analyze</c> computes) of a 4-minute 44.1 kHz stereo programme held in memory as
/// float, MixMate's <see cref="LoudnessMeter"/> against libebur128 (the baseline, so the Ratio
/// column reads "our time / libebur128's time"; goal ≤ 0.5). Each side gets its natural input,
/// prepared before timing: planar for us, interleaved for libebur128; both are fed 4096 frames per
/// call and both include their set-up (configure / ebur128_init). Single thread.
/// Run: dotnet run -c Release --project tests/MixMate.Benchmarks -- --filter '*LoudnessBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class LoudnessBenchmarks
{
    private readonly LoudnessMeter _meter = new();

    /// <summary>Loads the programme and refuses to time meters that disagree.</summary>
    [GlobalSetup]
    public void Setup() => LoudnessComparison.VerifyAgreement();

    [Benchmark(Baseline = true, Description = "libebur128 1.2.6, I+LRA+TP+SP, interleaved")]
    public double Libebur128()
    {
        var p = LoudnessMaterial.Planar;
        return LoudnessComparison.MeasureLibebur128(LoudnessMaterial.Interleaved, p.Channels, (int)p.SampleRate, LoudnessMaterial.ChunkFrames).Checksum;
    }

    [Benchmark(Description = "MixMate LoudnessMeter, I+LRA+TP+SP, planar")]
    public double MixMate()
    {
        var p = LoudnessMaterial.Planar;
        return LoudnessComparison.MeasureOurs(_meter, p.Block, p.SampleRate, LoudnessMaterial.ChunkFrames).Checksum;
    }
}
