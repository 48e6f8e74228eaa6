using MixMate.Cli.Audio;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Spectrum;

namespace MixMate.Cli.Html;

/// <summary>
/// What a report plots about one programme: its loudness timeline (100 ms steps, with the true
/// peak of each step) and its long-term third-octave spectrum. Measured in one pass, from memory
/// or streamed from a file, so a long file costs no memory beyond the timeline (about 3 MB an hour).
/// </summary>
/// <param name="Timeline">Momentary, short-term and true peak per step.</param>
/// <param name="BandsDb">Long-term level per ISO third-octave band, 20 Hz–20 kHz (dB, −∞ where empty).</param>
/// <param name="DurationSeconds">Frames ÷ sample rate.</param>
internal sealed record ProgrammeProfile(LoudnessTimeline Timeline, double[] BandsDb, double DurationSeconds)
{
    private const int BlockFrames = 4096;

    /// <summary>[any thread] Profiles audio in memory; <paramref name="bandsDb"/>, when the caller
    /// already has the spectrum, is used instead of measuring it again.</summary>
    public static ProgrammeProfile Measure(AudioBlock block, double sampleRate, double[]? bandsDb = null)
    {
        var profiler = new Profiler(sampleRate, block.Channels, block.Frames, bandsDb is null);
        for (int start = 0; start < block.Frames; start += BlockFrames)
        {
            profiler.Feed(block.Slice(start, Math.Min(BlockFrames, block.Frames - start)));
        }

        return profiler.Finish(bandsDb);
    }

    /// <summary>[any thread] Profiles a file, streamed.</summary>
    /// <exception cref="CommandLine.CliException">The file cannot be read.</exception>
    public static ProgrammeProfile MeasureFile(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        var profiler = new Profiler(reader.SampleRate, reader.Channels, reader.Frames, measureSpectrum: true);
        var samples = new float[BlockFrames * Math.Max(1, reader.Channels)];
        var block = new AudioBlock(samples, reader.Channels, BlockFrames, BlockFrames);
        int read;
        while ((read = reader.Read(block)) > 0)
        {
            profiler.Feed(block.Slice(0, read));
        }

        return profiler.Finish(null);
    }

    /// <summary>Meter, per-step true-peak detector and spectrum, fed in pieces cut at the meter's
    /// 100 ms step boundaries so each step's true peak belongs to that step; callers streaming a
    /// programme on a pass of their own feed it blocks of at most 4096 frames.</summary>
    /// <remarks>[one caller at a time]</remarks>
    internal sealed class Profiler
    {
        private readonly LoudnessMeter _meter = new();
        private readonly TruePeakDetector _truePeak = new();
        private readonly LongTermSpectrum? _spectrum;
        private readonly LoudnessTimeline _timeline;
        private readonly int _stepFrames;
        private readonly double _sampleRate;
        private long _frames;
        private int _inStep;
        private int _step;

        public Profiler(double sampleRate, int channels, long frames, bool measureSpectrum)
        {
            _sampleRate = sampleRate;
            _stepFrames = (int)Math.Round(sampleRate / 10, MidpointRounding.AwayFromZero);
            _timeline = new LoudnessTimeline((int)Math.Min(int.MaxValue - 1, (frames / _stepFrames) + 2));
            _meter.Configure(sampleRate, channels, BlockFrames);
            _meter.Observer = _timeline;
            _truePeak.Configure(sampleRate, channels, BlockFrames);
            if (measureSpectrum)
            {
                _spectrum = new LongTermSpectrum();
                _spectrum.Configure(sampleRate, Math.Max(1, channels), BlockFrames);
            }
        }

        public void Feed(AudioBlock block)
        {
            _meter.Process(block);
            _spectrum?.Process(block);
            for (int start = 0; start < block.Frames;)
            {
                int n = Math.Min(block.Frames - start, _stepFrames - _inStep);
                _truePeak.Process(block.Slice(start, n));
                start += n;
                _inStep += n;
                if (_inStep == _stepFrames)
                {
                    EndStep();
                }
            }

            _frames += block.Frames;
        }

        public ProgrammeProfile Finish(double[]? bandsDb)
        {
            _meter.Flush();
            _truePeak.Flush();
            if (_inStep > 0)
            {
                EndStep();
            }

            double[] bands = bandsDb ?? new double[ThirdOctaveBands.Count];
            _spectrum?.ThirdOctaveDb(bands);
            return new ProgrammeProfile(_timeline, bands, _frames / _sampleRate);
        }

        private void EndStep()
        {
            _timeline.SetTruePeak(_step++, _truePeak.TruePeakDbtp);
            _truePeak.ResetPeak();
            _inStep = 0;
        }
    }
}
