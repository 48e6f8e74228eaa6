using MixMate.Assistant.Streaming;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Reference;

/// <summary>
/// Measures a <see cref="ProgrammeProfile"/>: the long-term spectrum and width
/// (<see cref="ProgrammeSpectrumMeter"/>), loudness, loudness range and true peak (BS.1770 /
/// EBU Tech 3342). Spectrum and loudness run on two cores.
/// </summary>
public static class ProgrammeAnalyzer
{
    private const int Step = 65536;

    /// <summary>[any-thread] Measures everything (a reference).</summary>
    public static ProgrammeProfile Measure(float[] samples, int channels, int frames, double sampleRate, string name)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Task<(double Integrated, double Range, double TruePeak)> loudness = Task.Run(() => Loudness(samples, channels, frames, sampleRate));
        (double[] bands, SpectrumGrid grid, double? width) = MeasureSpectrum(new AudioBlock(samples, channels, frames, frames), sampleRate);
        (double integrated, double range, double truePeak) = loudness.GetAwaiter().GetResult();
        return new ProgrammeProfile(name, sampleRate, channels, frames / sampleRate, bands, grid, integrated, range, truePeak, width);
    }

    /// <summary>[any-thread] Spectrum (bands and grid) and width of a block in memory.</summary>
    public static (double[] BandsDb, SpectrumGrid Grid, double? WidthDb) MeasureSpectrum(AudioBlock block, double sampleRate)
    {
        var meter = new ProgrammeSpectrumMeter(sampleRate, block.Channels, block.Frames);
        for (int start = 0; start < block.Frames; start += Step)
        {
            meter.Process(block.Slice(start, Math.Min(Step, block.Frames - start)));
        }

        return meter.Finish();
    }

    /// <summary>[any-thread] One pass over a finished master: its spectrum and width, and its true
    /// peak, searched at 16× near <paramref name="ceilingDbtp"/> (<see cref="InterSamplePeakGuard"/>);
    /// the two on two cores, chunk by chunk.</summary>
    public static ((double[] BandsDb, SpectrumGrid Grid, double? WidthDb) Spectrum, double PeakDbtp) MeasureResult(IAudioSource source, double ceilingDbtp)
    {
        ArgumentNullException.ThrowIfNull(source);
        var meter = new ProgrammeSpectrumMeter(source.SampleRate, source.Channels, source.Frames);
        var samples = new float[Step * source.Channels];
        var block = new AudioBlock(samples, source.Channels, Step, Step);
        var guard = new InterSamplePeakGuard(source.SampleRate, source.Channels, ceilingDbtp);
        source.Rewind();
        int read;
        while ((read = ReadFull(source, block)) > 0)
        {
            int n = read;
            int channels = source.Channels;
            try
            {
                Parallel.Invoke(
                    () => meter.Process(new AudioBlock(samples, channels, Step, Step).Slice(0, n)),
                    () => guard.Process(new AudioBlock(samples, channels, Step, Step).Slice(0, n)));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }

        guard.Finish();
        return (meter.Finish(), guard.TruePeakDbtp);
    }

    private static int ReadFull(IAudioSource source, AudioBlock block)
    {
        int total = 0, got;
        while (total < block.Frames && (got = source.Read(block.Slice(total, block.Frames - total))) > 0)
        {
            total += got;
        }

        return total;
    }

    private static (double Integrated, double Range, double TruePeak) Loudness(float[] samples, int channels, int frames, double sampleRate)
    {
        using var meter = new LoudnessMeter();
        meter.Configure(sampleRate, channels, Step);
        var block = new AudioBlock(samples, channels, frames, frames);
        for (int start = 0; start < frames; start += Step)
        {
            meter.Process(block.Slice(start, Math.Min(Step, frames - start)));
        }

        meter.Flush();
        return (meter.IntegratedLufs, meter.LoudnessRangeLu, meter.TruePeakDbtp);
    }
}
