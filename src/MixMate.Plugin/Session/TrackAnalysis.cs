using MixMate.Assistant.Balance;
using MixMate.Assistant.Models;
using MixMate.Assistant.Roles;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.Plugin.Session;

/// <summary>
/// What the session knows about one member's audio while it listens: active loudness, the
/// long-term third-octave spectrum and a bounded excerpt for role detection — fed from the
/// member's <see cref="AnalysisRing"/> in constant memory.
/// </summary>
/// <remarks>
/// The excerpt keeps the most recent <see cref="ExcerptSeconds"/> of the parts that play (chunks
/// whose mean square is above −60 dBFS), mixed to mono — the role features are
/// computed on a mono mix anyway. One object per setup (rate, channels); it is replaced, never
/// reconfigured, so the audio thread and the analysis thread never see a half-built one.
/// Only the ring is built with the object (at the instance's setup, on the main thread — its
/// memory costs nothing until written); the accumulators and the excerpt are built by the
/// analysis thread when the first audio arrives, so an instance that never listens never pays
/// for them and a DAW adding a track instance stays quick.
/// Threads: constructed on the main thread; <see cref="Ring"/>'s producer is the audio thread;
/// everything else is the session's analysis thread.
/// </remarks>
public sealed class TrackAnalysis
{
    /// <summary>Length of the role-detection excerpt, seconds.</summary>
    public const double ExcerptSeconds = 20;

    /// <summary>Chunk the analysis thread drains at a time, frames.</summary>
    public const int ChunkFrames = 4096;

    private const double ActiveChunkMeanSquare = 1e-6; // −60 dBFS

    private readonly int _excerptFrames;
    private ActiveLoudnessAccumulator? _loudness;
    private LongTermSpectrum? _spectrum;
    private float[] _chunk = [];
    private float[]? _excerpt;
    private long _excerptWritten;

    /// <summary>[main thread] Allocates for a setup (≥ 8 kHz; channels 1 or 2 are analysed).</summary>
    public TrackAnalysis(double sampleRate, int channels)
    {
        SampleRate = sampleRate;
        Channels = Math.Clamp(channels, 1, 2);
        // The analysis thread drains every 25 ms; the ring holds 16 384 frames (341 ms at
        // 48 kHz): real-time playback never overflows it, an offline bounce faster than about
        // 10× real time drops blocks (counted) and the measurement covers the rest.
        Ring = new AnalysisRing(Channels, AnalysisRing.MaxCapacity);
        _excerptFrames = (int)(sampleRate * ExcerptSeconds);
    }

    public double SampleRate { get; }

    public int Channels { get; }

    /// <summary>Where the audio thread writes what it hears.</summary>
    public AnalysisRing Ring { get; }

    /// <summary>[analysis thread] Seconds analysed since the last reset.</summary>
    public double Seconds => (_loudness?.Frames ?? 0) / SampleRate;

    /// <summary>[analysis thread] Starts a new measurement.</summary>
    public void Reset()
    {
        _loudness?.Reset();
        _spectrum?.Reset();
        _excerptWritten = 0;
    }

    /// <summary>[analysis thread] Analyses everything waiting in the ring; allocation-free once
    /// the first audio has been analysed.</summary>
    public void Drain()
    {
        if (Ring.Available == 0)
        {
            return;
        }

        if (_loudness is null || _spectrum is null)
        {
            _loudness = new ActiveLoudnessAccumulator();
            _loudness.Configure(SampleRate, Channels);
            _spectrum = new LongTermSpectrum();
            _spectrum.Configure(SampleRate, Channels, ChunkFrames, 4096);
            _spectrum.Hop = _spectrum.FftSize;
            _chunk = new float[Channels * ChunkFrames];
        }

        var chunk = new AudioBlock(_chunk, Channels, ChunkFrames, ChunkFrames);
        int n;
        while ((n = Ring.Read(chunk)) > 0)
        {
            AudioBlock got = chunk.Slice(0, n);
            _loudness.Add(got);
            _spectrum.Process(got);
            KeepForExcerpt(got);
        }
    }

    /// <summary>[analysis thread] The tonal profile of what was heard (third- and twelfth-octave
    /// long-term spectrum); empty bands when nothing was. Allocates.</summary>
    public TonalProfile Profile()
    {
        if (_spectrum is null)
        {
            return new TonalProfile(Enumerable.Repeat(double.NegativeInfinity, ThirdOctaveBands.Count).ToArray(),
                Enumerable.Repeat(double.NegativeInfinity, TwelfthOctaveBands.Count).ToArray(), SampleRate);
        }

        return TonalProfile.FromSpectrum(_spectrum);
    }

    /// <summary>[analysis thread] The summary the balance engines work on; the role comes from
    /// <paramref name="roles"/> (null: unknown). Allocates.</summary>
    public TrackSummary Summarize(string name, SuggestionEngine? roles)
    {
        var bands = new double[ThirdOctaveBands.Count];
        if (_spectrum is not null)
        {
            _spectrum.ThirdOctaveDb(bands);
        }
        else
        {
            Array.Fill(bands, double.NegativeInfinity);
        }

        RoleEstimate role;
        int excerptFrames = (int)Math.Min(_excerptWritten, _excerptFrames);
        if (roles is null || _excerpt is null)
        {
            role = new RoleEstimate(null, 0, new Dictionary<string, double>(), "no role detection was available");
        }
        else if (excerptFrames < SampleRate * SuggestionEngine.MinimumSeconds)
        {
            role = new RoleEstimate(null, 0, new Dictionary<string, double>(), "too little playing heard to judge the role");
        }
        else
        {
            // Oldest first, so the excerpt is continuous audio.
            var linear = new float[excerptFrames];
            int start = (int)(_excerptWritten % _excerptFrames);
            if (_excerptWritten > _excerptFrames)
            {
                _excerpt.AsSpan(start).CopyTo(linear);
                _excerpt.AsSpan(0, start).CopyTo(linear.AsSpan(_excerptFrames - start));
            }
            else
            {
                _excerpt.AsSpan(0, excerptFrames).CopyTo(linear);
            }

            role = roles.EstimateRole(new AudioBlock(linear, 1, excerptFrames, excerptFrames), SampleRate);
        }

        ActiveLoudness loudness = _loudness?.Result()
            ?? new ActiveLoudness(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, 0, 0);
        return new TrackSummary(name, role, loudness, bands);
    }

    private void KeepForExcerpt(AudioBlock block)
    {
        double sum = 0;
        for (int c = 0; c < block.Channels; c++)
        {
            foreach (float x in block[c])
            {
                sum += x * x;
            }
        }

        if (sum / (block.Frames * block.Channels) < ActiveChunkMeanSquare)
        {
            return;
        }

        _excerpt ??= new float[_excerptFrames];
        float scale = 1f / block.Channels;
        for (int i = 0; i < block.Frames; i++)
        {
            float m = block[0][i];
            for (int c = 1; c < block.Channels; c++)
            {
                m += block[c][i];
            }

            _excerpt[(int)(_excerptWritten % _excerptFrames)] = m * scale;
            _excerptWritten++;
        }
    }
}
