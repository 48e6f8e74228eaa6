using MixMate.Assistant.Loudness;
using MixMate.Assistant.Mastering;
using MixMate.Assistant.Problems;
using MixMate.Assistant.Streaming;
using MixMate.Assistant.Tonal;
using MixMate.Cli.Analysis;
using MixMate.Cli.Audio;
using MixMate.Cli.Html;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Spectrum;
using MixMate.Dsp.Utility;

namespace MixMate.Cli.Commands;

/// <summary>
/// The two passes of <c>master</c> that bracket the engine's renders, each one read of a stream:
/// the input pass (loudness, the checks of <c>mixmate check</c>, the tonal bands, the limiter
/// model, the plot profile) and the delivery pass (trim, dither, the file's grid, then the
/// master's loudness, checks and profile while it is written). Every consumer gets the same
/// 4096-frame blocks as it did on the whole programme in memory, so the figures are unchanged;
/// the work is split into shares per 64k-frame chunk (the check's click search and spectra
/// apart from the rest), run on the cores there are.
/// </summary>
/// <remarks>[any thread] No shared state: concurrent runs on different files are independent.</remarks>
internal static class MasterPasses
{
    /// <summary>Frames per consumer call (the block size the in-memory analyses used).</summary>
    private const int BlockFrames = FileAnalyzer.BlockFrames;

    /// <summary>Frames read per chunk before the cores take their shares.</summary>
    private const int ChunkFrames = 16 * BlockFrames;

    /// <summary>What the input pass found.</summary>
    internal sealed record InputFindings(
        LoudnessAnalysis Loudness,
        IReadOnlyList<Problem> Problems,
        double[]? BandsDb,
        LimiterLoudnessModel? Model,
        ProgrammeProfile.Profiler? Profile)
    {
        /// <summary>The tonal profile (third- and twelfth-octave) when the bands were measured.</summary>
        public TonalProfile? Tonal { get; init; }

        /// <summary>The speech check when the bands were measured.</summary>
        public SpeechVerdict? Speech { get; init; }
    }

    /// <summary>[any thread] One pass over <paramref name="source"/>: its loudness (reported as
    /// <paramref name="label"/>), input problems, third-octave bands when <paramref name="measureBands"/>,
    /// the limiter model when <paramref name="buildModel"/>, the plot profile when
    /// <paramref name="profile"/> (measuring its own spectrum when <paramref name="profileSpectrum"/>:
    /// without EQ analysis there are no bands to reuse); on two cores when <paramref name="concurrent"/>.</summary>
    public static InputFindings Input(IAudioSource source, string label, LoudnessTarget target, bool measureBands, bool buildModel, bool profile, bool profileSpectrum,
        bool concurrent = true, Assistant.Reference.ProgrammeSpectrumMeter? matchSpectrum = null)
    {
        double rate = source.SampleRate;
        int channels = source.Channels;
        LoudnessMeter meter = FileAnalyzer.CreateMeter(label, rate, channels);
        using ProblemChecker checker = StageChecks.Checker(rate, channels, target, CheckStage.MasteringInput);
        checker.SharesFedApart = true;
        LongTermSpectrum? spectrum = measureBands ? TonalBalance.CreateBandMeter(rate, channels, source.Frames) : null;
        SpeechDetector? speech = measureBands ? new SpeechDetector(rate) : null;
        LimiterLoudnessModel.Builder? model = buildModel ? new LimiterLoudnessModel.Builder(rate, channels) : null;
        ProgrammeProfile.Profiler? profiler = profile
            ? new ProgrammeProfile.Profiler(rate, channels, source.Frames, measureSpectrum: profileSpectrum)
            : null;

        long frames = 0;
        var samples = new float[ChunkFrames * channels];
        var chunk = new AudioBlock(samples, channels, ChunkFrames, ChunkFrames);
        source.Rewind();
        int read;
        while ((read = ReadChunk(source, chunk)) > 0)
        {
            int n = read;
            // Five shares for two cores (the click search and the spectra apart from the check):
            // whichever core is free takes the next, so the pass costs about half its work
            // whatever the share sizes (the spectra weigh more when matching).
            All(concurrent,
                () => ForEachBlock(samples, channels, n, block =>
                {
                    meter.Process(block);
                    model?.Add(block);
                }),
                () => ForEachBlock(samples, channels, n, block =>
                {
                    checker.Process(block);
                    profiler?.Feed(block);
                    speech?.Add(block);
                }),
                () => ForEachBlock(samples, channels, n, block =>
                {
                    spectrum?.Process(block);
                    matchSpectrum?.Process(block);
                }),
                () => ForEachBlock(samples, channels, n, checker.ProcessClicks),
                () => ForEachBlock(samples, channels, n, checker.ProcessSpectra));
            frames += n;
        }

        meter.Flush();
        LoudnessAnalysis loudness = FileAnalyzer.Result(meter, label, (int)Math.Round(rate), channels, frames / rate);
        TonalProfile? tonal = spectrum is null ? null : TonalProfile.FromSpectrum(spectrum);
        return new InputFindings(
            loudness,
            StageChecks.Input(checker.Finish()),
            tonal?.ThirdOctaveDb,
            model?.Build(),
            profiler)
        {
            Tonal = tonal,
            Speech = tonal is null ? null : speech!.Decide(tonal),
        };
    }

    /// <summary>What the delivery pass measured.</summary>
    internal sealed record DeliveryFindings(LoudnessAnalysis? Loudness, IReadOnlyList<Problem> Problems, ProgrammeProfile? Profile);

    /// <summary>[any thread] Streams the render (already trimmed) through dither
    /// (<see cref="SampleFormat.Pcm16"/>) or the 24-bit grid into <paramref name="writer"/>, checking
    /// it, metering it unless <paramref name="lossy"/> (the decoded file is measured instead) and
    /// profiling it when <paramref name="profile"/>; on two cores when <paramref name="concurrent"/>.</summary>
    public static DeliveryFindings Deliver(IAudioSource render, AudioFileWriter writer, SampleFormat format, string label, LoudnessTarget target, bool lossy, bool profile,
        bool concurrent = true)
    {
        double rate = render.SampleRate;
        int channels = render.Channels;
        TpdfDither? dither = null;
        if (format == SampleFormat.Pcm16)
        {
            // TPDF dither only where the word length shrinks to 16 bits; 24-bit quantisation noise
            // (−144 dBFS) is far below any playback chain.
            dither = new TpdfDither(16);
            dither.Configure(rate, channels, ChunkFrames);
        }

        LoudnessMeter? meter = lossy ? null : FileAnalyzer.CreateMeter(label, rate, channels);
        using ProblemChecker checker = StageChecks.Checker(rate, channels, target, CheckStage.Master);
        checker.SharesFedApart = true;
        ProgrammeProfile.Profiler? profiler = profile ? new ProgrammeProfile.Profiler(rate, channels, render.Frames, measureSpectrum: true) : null;

        long frames = 0;
        var samples = new float[ChunkFrames * channels];
        var chunk = new AudioBlock(samples, channels, ChunkFrames, ChunkFrames);
        render.Rewind();
        int read;
        while ((read = ReadChunk(render, chunk)) > 0)
        {
            AudioBlock piece = chunk.Slice(0, read);
            dither?.Process(piece);

            // Put the samples on the file's grid first, so that measuring them is measuring the
            // file: with clipping on, libsndfile writes round(x·2^(bits−1)) clamped to the integer
            // range (the 16-bit path is already on that grid after dither).
            if (format == SampleFormat.Pcm24)
            {
                for (int c = 0; c < channels; c++)
                {
                    MasterCommand.QuantizeToGrid(piece[c], 24);
                }
            }

            int n = read;
            All(concurrent,
                () => ForEachBlock(samples, channels, n, block => meter?.Process(block)),
                () => ForEachBlock(samples, channels, n, block =>
                {
                    checker.Process(block);
                    profiler?.Feed(block);
                }),
                () => ForEachBlock(samples, channels, n, writer.Write),
                () => ForEachBlock(samples, channels, n, checker.ProcessClicks),
                () => ForEachBlock(samples, channels, n, checker.ProcessSpectra));
            frames += n;
        }

        LoudnessAnalysis? loudness = null;
        if (meter is not null)
        {
            meter.Flush();
            loudness = FileAnalyzer.Result(meter, label, (int)Math.Round(rate), channels, frames / rate);
        }

        return new DeliveryFindings(loudness, StageChecks.Master(checker.Finish()), profiler?.Finish(null));
    }

    private delegate void BlockAction(AudioBlock block);

    /// <summary>Runs the shares of a chunk's work: on the cores there are, or one after the other in order.</summary>
    private static void All(bool concurrent, params Action[] shares)
    {
        if (concurrent)
        {
            try
            {
                Parallel.Invoke(shares);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
            {
                // The share that failed fails the pass as it would on one core (a full disk is an
                // IOException the output's writer reports in one line, not an internal error).
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        else
        {
            foreach (Action share in shares)
            {
                share();
            }
        }
    }

    /// <summary>Fills <paramref name="chunk"/> as far as the source goes.</summary>
    private static int ReadChunk(IAudioSource source, AudioBlock chunk)
    {
        int total = 0;
        int got;
        while (total < chunk.Frames && (got = source.Read(chunk.Slice(total, chunk.Frames - total))) > 0)
        {
            total += got;
        }

        return total;
    }

    /// <summary>Calls <paramref name="action"/> on the chunk's first <paramref name="frames"/> frames,
    /// <see cref="BlockFrames"/> at a time.</summary>
    private static void ForEachBlock(float[] samples, int channels, int frames, BlockAction action)
    {
        var chunk = new AudioBlock(samples, channels, ChunkFrames, ChunkFrames);
        for (int start = 0; start < frames; start += BlockFrames)
        {
            action(chunk.Slice(start, Math.Min(BlockFrames, frames - start)));
        }
    }
}
