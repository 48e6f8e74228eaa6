using BenchmarkDotNet.Attributes;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.TestSupport;

namespace MixMate.Benchmarks;

/// <summary>
/// Where the time of a full analysis goes, stage by stage, on the same 4-minute programme: our
/// K-weighting (+ sum of squares), our true-peak detector, and libebur128 limited to the modes
/// that need only K-weighting and gating (I) or only the true-peak interpolator (TRUE_PEAK, which
/// also runs K-weighting for momentary loudness). Baseline: libebur128's full analysis.
/// Run: dotnet run -c Release --project tests/MixMate.Benchmarks -- --filter '*LoudnessStageBenchmarks*'
/// </summary>
public class LoudnessStageBenchmarks
{
    private readonly KWeightingFilter _kWeighting = new();
    private readonly TruePeakDetector _truePeak = new();

    [GlobalSetup]
    public void Setup()
    {
        var p = LoudnessMaterial.Planar;
        _kWeighting.Configure(p.SampleRate, p.Channels);
        _truePeak.Configure(p.SampleRate, p.Channels, LoudnessMaterial.ChunkFrames);
    }

    [Benchmark(Baseline = true, Description = "libebur128 full (I+LRA+TP+SP)")]
    public double Libebur128Full() => Theirs(LoudnessComparison.FullMode);

    [Benchmark(Description = "libebur128 I only (K-weighting + gating)")]
    public double Libebur128Integrated() => Theirs(Ebur128.ModeI);

    [Benchmark(Description = "libebur128 TRUE_PEAK (K-weighting + 4x interpolation)")]
    public double Libebur128TruePeak() => Theirs(Ebur128.ModeTruePeak);

    [Benchmark(Description = "MixMate K-weighting + sum of squares (channel pair)")]
    public double OurKWeighting()
    {
        var p = LoudnessMaterial.Planar;
        AudioBlock block = p.Block;
        _kWeighting.Reset();
        double energy = 0;
        for (int start = 0; start < block.Frames; start += LoudnessMaterial.ChunkFrames)
        {
            AudioBlock piece = block.Slice(start, Math.Min(LoudnessMaterial.ChunkFrames, block.Frames - start));
            (double a, double b) = _kWeighting.ProcessSumOfSquares(0, piece[0], 1, piece[1]);
            energy += a + b;
        }

        return energy;
    }

    [Benchmark(Description = "MixMate true-peak detector (4x)")]
    public double OurTruePeak()
    {
        var p = LoudnessMaterial.Planar;
        AudioBlock block = p.Block;
        _truePeak.Reset();
        for (int start = 0; start < block.Frames; start += LoudnessMaterial.ChunkFrames)
        {
            _truePeak.Process(block.Slice(start, Math.Min(LoudnessMaterial.ChunkFrames, block.Frames - start)));
        }

        _truePeak.Flush();
        return _truePeak.TruePeak;
    }

    private static double Theirs(int mode)
    {
        var p = LoudnessMaterial.Planar;
        LoudnessFigures f = LoudnessComparison.MeasureLibebur128(LoudnessMaterial.Interleaved, p.Channels, (int)p.SampleRate, LoudnessMaterial.ChunkFrames, mode);
        return (double.IsNaN(f.IntegratedLufs) ? 0 : f.IntegratedLufs) + f.TruePeakDbtp;
    }
}
