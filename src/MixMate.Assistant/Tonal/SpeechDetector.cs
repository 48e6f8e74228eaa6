using System.Globalization;
using MixMate.Assistant.Streaming;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Tonal;

/// <summary>
/// Tells speech (a podcast, a voice-over) from music, so the tonal engine judges it against the
/// speech reference. Speech alternates syllables and pauses: its short-term level (20 ms frames)
/// drops far below its peaks between words and phrases and swings widely, while music holds a
/// floor; and speech carries little below 90 Hz and most of its energy between 90 Hz and 5 kHz.
/// Fed block by block (bounded state: one level per 20 ms frame), decided once.
/// </summary>
public sealed class SpeechDetector
{
    /// <summary>Frames this far below the loud frames (95th percentile) count as pauses, dB.</summary>
    public const double PauseDepthDb = 25;

    /// <summary>Speech needs at least this share of pauses.</summary>
    public const double MinPauseShare = 0.12;

    /// <summary>Speech needs its frame levels to swing at least this much (standard deviation, dB).</summary>
    public const double MinSwingDb = 7;

    /// <summary>Speech has at most this share of its energy below 90 Hz, dB.</summary>
    public const double MaxBassShareDb = -12;

    /// <summary>Speech has at least this share of its energy between 90 Hz and 5 kHz.</summary>
    public const double MinVoiceShare = 0.75;

    private readonly int _frameLength;
    private readonly List<double> _levels = [];
    private double _sum;
    private int _fill;

    /// <summary>[main-thread] A detector for audio at <paramref name="sampleRate"/>.</summary>
    public SpeechDetector(double sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        _frameLength = Math.Max(1, (int)Math.Round(sampleRate * 0.02));
    }

    /// <summary>[any thread but the audio thread] Speech or not for a whole programme.</summary>
    public static SpeechVerdict Detect(AudioBlock block, double sampleRate, TonalProfile profile)
    {
        var detector = new SpeechDetector(sampleRate);
        detector.Add(block);
        return detector.Decide(profile);
    }

    /// <summary>[any thread but the audio thread] Speech or not for a streamed programme (one pass).</summary>
    public static SpeechVerdict Detect(IAudioSource source, TonalProfile profile)
    {
        ArgumentNullException.ThrowIfNull(source);
        var detector = new SpeechDetector(source.SampleRate);
        const int Step = 16384;
        var samples = new float[Step * Math.Max(1, source.Channels)];
        var block = new AudioBlock(samples, source.Channels, Step, Step);
        source.Rewind();
        int read;
        while ((read = source.Read(block)) > 0)
        {
            detector.Add(block.Slice(0, read));
        }

        return detector.Decide(profile);
    }

    /// <summary>[one thread at a time] Accumulates <paramref name="block"/> (channels summed).</summary>
    public void Add(AudioBlock block)
    {
        for (int i = 0; i < block.Frames; i++)
        {
            double x = 0;
            for (int c = 0; c < block.Channels; c++)
            {
                x += block[c][i];
            }

            _sum += x * x;
            if (++_fill == _frameLength)
            {
                _levels.Add(10 * Math.Log10((_sum / _fill) + 1e-20));
                (_sum, _fill) = (0, 0);
            }
        }
    }

    /// <summary>[one thread at a time] The verdict for what was added, with the programme's
    /// long-term spectrum <paramref name="profile"/>.</summary>
    public SpeechVerdict Decide(TonalProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (_levels.Count < 50)
        {
            return new SpeechVerdict(false, 0, 0, 0, 0, "too short to tell speech from music");
        }

        double[] sorted = [.. _levels.Order()];
        double loud = sorted[(int)(0.95 * (sorted.Length - 1))];
        double floor = loud - 40;
        int pauses = 0;
        double mean = 0;
        foreach (double l in _levels)
        {
            pauses += l < loud - PauseDepthDb ? 1 : 0;
            mean += Math.Max(l, floor);
        }

        mean /= _levels.Count;
        double variance = _levels.Sum(l => (Math.Max(l, floor) - mean) * (Math.Max(l, floor) - mean)) / _levels.Count;
        double pauseShare = (double)pauses / _levels.Count;
        double swing = Math.Sqrt(variance);

        double total = 0, bass = 0, voice = 0;
        for (int i = 0; i < profile.FineDb.Length; i++)
        {
            if (!double.IsFinite(profile.FineDb[i]))
            {
                continue;
            }

            double p = Math.Pow(10, profile.FineDb[i] / 10);
            double f = TwelfthOctaveBands.Centre(i);
            total += p;
            bass += f < 90 ? p : 0;
            voice += f is >= 90 and <= 5000 ? p : 0;
        }

        double bassShareDb = total > 0 ? 10 * Math.Log10(Math.Max(bass / total, 1e-12)) : 0;
        double voiceShare = total > 0 ? voice / total : 0;
        bool speech = pauseShare >= MinPauseShare && swing >= MinSwingDb && bassShareDb <= MaxBassShareDb && voiceShare >= MinVoiceShare;
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"{(speech ? "speech" : "music")}: {pauseShare:0%} of 20 ms frames are pauses (speech ≥ {MinPauseShare:0%}), level swings {swing:0.0} dB (speech ≥ {MinSwingDb:0}), {bassShareDb:0.0} dB of the energy below 90 Hz (speech ≤ {MaxBassShareDb:0}), {voiceShare:0%} in 90 Hz–5 kHz (speech ≥ {MinVoiceShare:0%})");
        return new SpeechVerdict(speech, pauseShare, swing, bassShareDb, voiceShare, reason);
    }
}

/// <summary>What <see cref="SpeechDetector"/> decided and why.</summary>
/// <param name="IsSpeech">Speech (judge against the speech reference).</param>
/// <param name="PauseShare">Share of 20 ms frames 25 dB or more below the loud frames.</param>
/// <param name="SwingDb">Standard deviation of the frame levels (floored 40 dB below the loud frames), dB.</param>
/// <param name="BassShareDb">Energy below 90 Hz relative to the total, dB.</param>
/// <param name="VoiceShare">Share of the energy between 90 Hz and 5 kHz.</param>
/// <param name="Reason">One sentence with the figures.</param>
public sealed record SpeechVerdict(bool IsSpeech, double PauseShare, double SwingDb, double BassShareDb, double VoiceShare, string Reason);
