using MixMate.Dsp.Dynamics;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Utility;

namespace MixMate.Dsp.Mastering;

/// <summary>
/// MixMate's mastering chain, the one object both <c>mixmate master</c> and the MixMate plug-in
/// run: DC blocker → parametric EQ → stereo width → gain → bus compressor (optional) → true-peak limiter.
/// </summary>
/// <remarks>
/// Order follows common mastering practice: corrective EQ before any level-dependent stage so the
/// compressor and limiter react to the corrected balance, and the limiter last so nothing after it
/// can raise the true peak. Switching the limiter off keeps the latency (the audio then runs
/// through a plain delay of the same length), so a host never has to re-align tracks mid-session;
/// the switch is a 10 ms crossfade, and the limiter keeps running while off so that switching it
/// back on fades into a settled limiter, not into stale look-ahead.
/// </remarks>
public sealed class MasterChain : IAudioProcessor
{
    private const double SwitchFadeMilliseconds = 10;

    private readonly GainStage _gain = new();
    private readonly DelayLine _bypassDelay = new();
    private float[] _unlimited = [];
    private int _maxBlock;
    private int _fadeFrames = 1;

    // 1 = limited output, 0 = delayed unlimited output; ramps when LimiterEnabled changes.
    private LinearRamp _limiterMix;

    /// <param name="maxEqBands">Number of EQ bands available.</param>
    public MasterChain(int maxEqBands = 8) => Eq = new ParametricEq(maxEqBands);

    public DcBlocker DcBlocker { get; } = new();

    public ParametricEq Eq { get; }

    /// <summary>Side gain (a reference match's width); 0 dB, the default, passes the audio unchanged.</summary>
    public StereoWidth Width { get; } = new();

    public BusCompressor Compressor { get; } = new();

    public TruePeakLimiter Limiter { get; } = new();

    /// <summary>[audio thread, or between blocks] High-pass at 5 Hz removing DC offset and subsonic drift.</summary>
    public bool DcBlockerEnabled { get; set; } = true;

    /// <summary>[audio thread, or between blocks] The gentle bus compressor is off unless asked for.</summary>
    public bool CompressorEnabled { get; set; }

    /// <summary>[audio thread, or between blocks] With the limiter off, audio is delayed by the same
    /// latency but never limited.</summary>
    public bool LimiterEnabled { get; set; } = true;

    /// <summary>[audio thread, or between blocks] Gain before the dynamics stages (ramped): the
    /// loudness target is reached by this gain.</summary>
    public double GainDb
    {
        get => _gain.GainDb;
        set => _gain.GainDb = value;
    }

    /// <summary>[audio thread, or between blocks] When set, measures the signal entering the gain
    /// stage (after DC blocker and EQ) — the loudness a target gain is computed from; the plug-in's
    /// learn function reads it. The caller configures it for this chain's rate and channels. Null
    /// (the default) measures nothing.</summary>
    public LoudnessMeter? PreGainMeter { get; set; }

    public double SampleRate { get; private set; }

    public int Channels { get; private set; }

    /// <summary>The limiter's look-ahead plus its interpolator delay; constant whether the limiter is on or off.</summary>
    public int LatencySamples => Limiter.LatencySamples;

    /// <summary>[non-real-time] Configures every stage.</summary>
    public void Configure(double sampleRate, int channels, int maxBlockFrames)
    {
        SampleRate = sampleRate;
        Channels = channels;
        DcBlocker.Configure(sampleRate, channels, maxBlockFrames);
        Eq.Configure(sampleRate, channels, maxBlockFrames);
        Width.Configure(sampleRate, channels, maxBlockFrames);
        _gain.Configure(sampleRate, channels, maxBlockFrames);
        Compressor.Configure(sampleRate, channels, maxBlockFrames);
        Limiter.Configure(sampleRate, channels, maxBlockFrames);
        _maxBlock = Math.Max(1, maxBlockFrames);
        _unlimited = new float[channels * _maxBlock];
        _fadeFrames = Math.Max(1, (int)(sampleRate * SwitchFadeMilliseconds / 1000));
        _bypassDelay.Configure(channels, Limiter.LatencySamples);
        _limiterMix.Snap(LimiterEnabled ? 1 : 0);
    }

    /// <summary>[audio thread or non-real-time, configured] Clears all signal state; parameters stay.</summary>
    public void Reset()
    {
        DcBlocker.Reset();
        Eq.Reset();
        Width.Reset();
        _gain.Reset();
        Compressor.Reset();
        Limiter.Reset();
        _bypassDelay.Reset();
        _limiterMix.Snap(LimiterEnabled ? 1 : 0);
    }

    /// <summary>[audio thread, configured] Processes the block in place. Allocates nothing.</summary>
    public void Process(AudioBlock block)
    {
        ProcessToGain(block);
        ProcessFromGain(block);
    }

    /// <summary>[audio thread or non-real-time, configured] The stages before the gain (DC blocker,
    /// EQ, width, the pre-gain meter), in place; no latency. <see cref="Process"/> is this followed
    /// by <see cref="ProcessFromGain"/>, so an offline caller that renders the same programme at
    /// several gains can run these once and keep their output. Allocates nothing.</summary>
    public void ProcessToGain(AudioBlock block)
    {
        if (block.IsEmpty)
        {
            return;
        }

        if (DcBlockerEnabled)
        {
            DcBlocker.Process(block);
        }

        Eq.Process(block);
        Width.Process(block);
        PreGainMeter?.Process(block);
    }

    /// <summary>[audio thread or non-real-time, configured] The stages from the gain on (gain,
    /// compressor, limiter or its equal delay), in place, on the output of
    /// <see cref="ProcessToGain"/>; its latency is <see cref="LatencySamples"/>. Allocates nothing.</summary>
    public void ProcessFromGain(AudioBlock block)
    {
        if (block.IsEmpty)
        {
            return;
        }

        _gain.Process(block);
        if (CompressorEnabled)
        {
            Compressor.Process(block);
        }

        double wanted = LimiterEnabled ? 1 : 0;
        if (wanted != _limiterMix.Target)
        {
            _limiterMix.Start(wanted, _fadeFrames);
        }

        for (int start = 0; start < block.Frames; start += _maxBlock)
        {
            LimitOrDelay(block.Slice(start, Math.Min(_maxBlock, block.Frames - start)));
        }
    }

    // Runs the limiter and the equal-latency delay side by side and outputs the mix of the two
    // given by the switch ramp (1 = limited).
    private void LimitOrDelay(AudioBlock block)
    {
        var unlimited = new AudioBlock(_unlimited, block.Channels, block.Frames, _maxBlock);
        block.CopyTo(unlimited);
        _bypassDelay.Process(unlimited);
        Limiter.Process(block);
        if (_limiterMix.IsSettled)
        {
            if (_limiterMix.Current == 0)
            {
                unlimited.CopyTo(block);
            }

            return;
        }

        for (int i = 0; i < block.Frames; i++)
        {
            float mix = (float)_limiterMix.Next();
            for (int c = 0; c < block.Channels; c++)
            {
                float dry = unlimited[c][i];
                block[c][i] = dry + ((block[c][i] - dry) * mix);
            }
        }
    }
}
