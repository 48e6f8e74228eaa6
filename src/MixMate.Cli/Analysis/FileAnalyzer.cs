using System.Globalization;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Cli.Analysis;

/// <summary>
/// Runs <see cref="LoudnessMeter"/> over a file (streamed in <see cref="BlockFrames"/>-frame blocks,
/// so memory does not grow with the file) or over audio already in memory.
/// </summary>
internal static class FileAnalyzer
{
    /// <summary>Frames per block fed to the meter.</summary>
    public const int BlockFrames = 4096;

    /// <summary>[any thread] Measures the file at <paramref name="path"/>.</summary>
    /// <param name="path">Any format <see cref="AudioFileReader"/> reads.</param>
    /// <param name="progress">Optional; receives the fraction done, 0..1.</param>
    /// <param name="observer">Optional; receives the meter's 100 ms steps (album gating blocks).</param>
    /// <exception cref="CliException">The file cannot be read, holds no audio, or has a channel
    /// layout the meter does not weight.</exception>
    public static LoudnessAnalysis Analyze(string path, Action<double>? progress = null, ILoudnessObserver? observer = null) => Analyze(path, path, progress, observer);

    /// <summary>[any thread] Measures the file at <paramref name="path"/>, reported as
    /// <paramref name="label"/> (a temporary file is reported under the name the user knows).</summary>
    /// <exception cref="CliException">As <see cref="Analyze(string, Action{double}?, ILoudnessObserver?)"/>.</exception>
    public static LoudnessAnalysis Analyze(string path, string label, Action<double>? progress = null, ILoudnessObserver? observer = null)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        if (reader.Frames == 0)
        {
            throw CliException.ForFile(path, "holds no audio (0 frames)");
        }

        LoudnessMeter meter = CreateMeter(label, reader.SampleRate, reader.Channels);
        meter.Observer = observer;
        var samples = new float[BlockFrames * reader.Channels];
        var block = new AudioBlock(samples, reader.Channels, BlockFrames, BlockFrames);
        long frames = 0;
        int read;
        while ((read = reader.Read(block)) > 0)
        {
            meter.Process(block.Slice(0, read));
            frames += read;
            progress?.Invoke(Math.Min(1.0, frames / (double)reader.Frames));
        }

        meter.Flush();
        return Result(meter, label, reader.SampleRate, reader.Channels, frames / (double)reader.SampleRate);
    }

    /// <summary>[any-thread] Why a file without an integrated loudness cannot be
    /// <paramref name="verb"/>ed: too short for one 400 ms gating block, or silent (every block below
    /// the −70 LUFS gate).</summary>
    public static string WhyUnmeasurable(long frames, double sampleRate, string verb)
    {
        double ms = frames * 1000.0 / sampleRate;
        return ms < 400
            ? string.Create(CultureInfo.InvariantCulture,
                $"is too short ({ms:0} ms) to measure integrated loudness (at least 400 ms are needed); there is nothing to {verb}")
            : $"is digital silence (or entirely below the −70 LUFS gate); there is nothing to {verb}";
    }

    /// <summary>[any thread] Measures in-memory audio; <paramref name="label"/> becomes the
    /// <see cref="LoudnessAnalysis.Path"/> of the result.</summary>
    /// <exception cref="CliException">The meter does not support the channel count.</exception>
    public static LoudnessAnalysis Analyze(AudioBlock block, double sampleRate, string label)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        LoudnessMeter meter = CreateMeter(label, sampleRate, block.Channels);
        for (int start = 0; start < block.Frames; start += BlockFrames)
        {
            meter.Process(block.Slice(start, Math.Min(BlockFrames, block.Frames - start)));
        }

        meter.Flush();
        return Result(meter, label, (int)Math.Round(sampleRate), block.Channels, block.Frames / sampleRate);
    }

    /// <summary>[any thread] The meter <see cref="Analyze(AudioBlock, double, string)"/> runs, for a
    /// caller streaming the programme on a pass of its own (feed it blocks of at most
    /// <see cref="BlockFrames"/> frames, then <see cref="LoudnessMeter.Flush"/> and <see cref="Result"/>).</summary>
    /// <exception cref="CliException">The meter does not support the channel count.</exception>
    internal static LoudnessMeter CreateMeter(string path, double sampleRate, int channels)
    {
        var meter = new LoudnessMeter();
        try
        {
            meter.Configure(sampleRate, channels, BlockFrames);
        }
        catch (ArgumentException e)
        {
            throw CliException.ForFile(path, string.Create(CultureInfo.InvariantCulture,
                $"cannot be measured ({sampleRate} Hz, {channels} ch): {FirstSentence(e.Message)}"));
        }

        return meter;
    }

    /// <summary>The meter's figures as a report. The meter fills windows that have not yet run
    /// their full length with silence; a maximum is only reported once one full window exists
    /// (0.4 s momentary, 3 s short-term — a full window contains every partial one before it, so
    /// the maximum is then unaffected). LRA is reported when some full short-term window passed
    /// the −70 LUFS gate (EBU Tech 3342 §3.1); the meter says 0 otherwise.</summary>
    internal static LoudnessAnalysis Result(LoudnessMeter meter, string path, int sampleRate, int channels, double durationSeconds)
    {
        const double MomentaryWindow = 0.4;
        const double ShortTermWindow = 3.0;
        double? maxMomentary = durationSeconds >= MomentaryWindow ? LoudnessAnalysis.Level(meter.MaxMomentaryLufs) : null;
        double? maxShortTerm = durationSeconds >= ShortTermWindow ? LoudnessAnalysis.Level(meter.MaxShortTermLufs) : null;
        double? range = maxShortTerm > Bs1770.AbsoluteGateLufs ? LoudnessAnalysis.Level(meter.LoudnessRangeLu) : null;
        return new LoudnessAnalysis(
            path,
            sampleRate,
            channels,
            durationSeconds,
            LoudnessAnalysis.Level(meter.IntegratedLufs),
            range,
            LoudnessAnalysis.Level(meter.TruePeakDbtp),
            LoudnessAnalysis.Level(meter.SamplePeakDbfs),
            maxMomentary,
            maxShortTerm);
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOfAny(['\n', '(']);
        return (end < 0 ? message : message[..end]).Trim().TrimEnd('.');
    }
}
