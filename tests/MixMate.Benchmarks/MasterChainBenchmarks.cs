using BenchmarkDotNet.Attributes;
using MixMate.Dsp;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Mastering;

namespace MixMate.Benchmarks;

/// <summary>
/// Issue 4: cost of the plug-in's processing — <see cref="MasterChain"/> (DC blocker, 4 EQ bands,
/// +6 dB gain, optional bus compressor, true-peak limiter at −1 dBTP) followed by the output
/// <see cref="LoudnessMeter"/> — at 48 kHz stereo in 64-frame host blocks, on the demo song.
/// One operation is one block (ns per block); the "% of real time" column divides by 1.333 ms.
/// Worst-case block times under load come from the <c>realtime</c> harness mode instead.
/// Run: dotnet run -c Release --project tests/MixMate.Benchmarks -- --filter '*MasterChainBenchmarks*'
/// </summary>
[Config(typeof(MasterChainConfig))]
public class MasterChainBenchmarks
{
    /// <summary>Host block size.</summary>
    public const int BlockFrames = 64;

    /// <summary>Host sample rate.</summary>
    public const double SampleRate = 48000;

    /// <summary>Blocks per invocation: one second of audio.</summary>
    public const int BlocksPerInvoke = 750;

    private const int Channels = 2;

    private readonly float[] _scratch = new float[Channels * BlockFrames];
    private MasterChain _chain = new();
    private LoudnessMeter _meter = new();
    private float[] _source = [];
    private int _sourceFrames;
    private int _position;

    /// <summary>Whether the optional bus compressor runs too.</summary>
    [Params(false, true)]
    public bool Compressor { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var mix = BenchMaterial.DemoMix48k();
        if (mix.SampleRate != SampleRate || mix.Channels != Channels)
        {
            throw new InvalidOperationException("The demo mix is expected at 48 kHz stereo.");
        }

        _source = mix.Samples;
        _sourceFrames = mix.Frames;
        (_chain, _meter) = CreatePlugInChain(Compressor);
    }

    /// <summary>[non-real-time] The chain and meter as the plug-in sets them up for mastering.</summary>
    public static (MasterChain Chain, LoudnessMeter Meter) CreatePlugInChain(bool compressor)
    {
        var chain = new MasterChain { CompressorEnabled = compressor };
        chain.Limiter.CeilingDbtp = -1;
        chain.Configure(SampleRate, Channels, BlockFrames);
        chain.Eq.SetBand(0, new EqBand(true, FilterType.HighPass12, 25, 0, 0.707));
        chain.Eq.SetBand(1, new EqBand(true, FilterType.LowShelf, 120, -2, 0.7));
        chain.Eq.SetBand(2, new EqBand(true, FilterType.Peak, 2500, 1.5, 1.0));
        chain.Eq.SetBand(3, new EqBand(true, FilterType.HighShelf, 9000, 1, 0.7));
        chain.GainDb = 6;
        var meter = new LoudnessMeter();
        meter.Configure(SampleRate, Channels, BlockFrames);
        return (chain, meter);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BlocksPerInvoke, Description = "MasterChain + LoudnessMeter, 64-frame block")]
    public double ChainAndMeter()
    {
        for (int b = 0; b < BlocksPerInvoke; b++)
        {
            AudioBlock block = NextBlock();
            _chain.Process(block);
            _meter.Process(block);
        }

        return _meter.MomentaryLufs;
    }

    [Benchmark(OperationsPerInvoke = BlocksPerInvoke, Description = "MasterChain only, 64-frame block")]
    public float ChainOnly()
    {
        float sum = 0;
        for (int b = 0; b < BlocksPerInvoke; b++)
        {
            AudioBlock block = NextBlock();
            _chain.Process(block);
            sum += block[0][0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = BlocksPerInvoke, Description = "LoudnessMeter only, 64-frame block")]
    public double MeterOnly()
    {
        for (int b = 0; b < BlocksPerInvoke; b++)
        {
            _meter.Process(NextBlock());
        }

        return _meter.MomentaryLufs;
    }

    /// <summary>Copies the next 64 frames of the looped song into the scratch block (the host's buffer).</summary>
    private AudioBlock NextBlock()
    {
        if (_position + BlockFrames > _sourceFrames)
        {
            _position = 0;
        }

        var block = new AudioBlock(_scratch, Channels, BlockFrames, BlockFrames);
        for (int c = 0; c < Channels; c++)
        {
            _source.AsSpan((c * _sourceFrames) + _position, BlockFrames).CopyTo(block[c]);
        }

        _position += BlockFrames;
        return block;
    }

    private sealed class MasterChainConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public MasterChainConfig() => AddColumn(new RealTimeColumn());
    }
}
