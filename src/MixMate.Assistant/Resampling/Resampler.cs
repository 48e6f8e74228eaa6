using System.Collections.Concurrent;
using NAudio.Dsp;

namespace MixMate.Assistant.Resampling;

/// <summary>
/// Sample-rate conversion for whole signals, through NAudio's port of the WDL resampler in its
/// windowed-sinc mode (<see cref="SincTaps"/> taps, interpolated from an oversampled table). The
/// filter's delay is measured once per rate pair and removed, so the output starts where the input
/// starts and has <c>round(frames · out / in)</c> frames. Passband ripple and aliasing are measured
/// in <c>ResamplerTests</c> and stated in the README. Analysis and file work only: it allocates,
/// so never call it from the audio thread.
/// </summary>
public static class Resampler
{
    /// <summary>Sinc length in input samples (WDL's default is 64; longer narrows the transition band).</summary>
    public const int SincTaps = 256;

    private const int SincOversampling = 64;
    private const int ChunkFrames = 8192;

    private static readonly ConcurrentDictionary<(int, int), int> Delays = new();

    /// <summary>[any-thread] Frames the conversion of <paramref name="frames"/> frames produces.</summary>
    public static long OutputFrames(long frames, int inputRate, int outputRate) =>
        (long)Math.Round(frames * (double)outputRate / inputRate, MidpointRounding.AwayFromZero);

    /// <summary>[any-thread, not the audio thread] Converts one channel from <paramref name="inputRate"/>
    /// to <paramref name="outputRate"/> into <paramref name="output"/>, which must hold
    /// <see cref="OutputFrames"/> frames. Equal rates copy.</summary>
    public static void Resample(ReadOnlySpan<float> input, int inputRate, Span<float> output, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputRate, 1);
        long expected = OutputFrames(input.Length, inputRate, outputRate);
        if (output.Length != expected)
        {
            throw new ArgumentException($"Output must hold {expected} frames, not {output.Length}.", nameof(output));
        }

        if (inputRate == outputRate)
        {
            input.CopyTo(output);
            return;
        }

        int delay = DelayFor(inputRate, outputRate);
        Run(input, inputRate, output, outputRate, delay);
    }

    /// <summary>[any-thread] The filter's delay for a rate pair, in output frames (measured once).</summary>
    internal static int DelayFor(int inputRate, int outputRate) =>
        Delays.GetOrAdd((inputRate, outputRate), static key => MeasureDelay(key.Item1, key.Item2));

    /// <summary>Frames fed per step: <see cref="StreamingResampler"/> feeds the same steps.</summary>
    internal const int FeedFrames = ChunkFrames;

    /// <summary>Silence fed after the input so the filter's tail comes out.</summary>
    internal const int FlushFrames = SincTaps * 4;

    /// <summary>[any-thread, not the audio thread] Converts a whole planar signal (one array per channel).</summary>
    public static float[][] Resample(IReadOnlyList<float[]> channels, int inputRate, int outputRate)
    {
        var result = new float[channels.Count][];
        Parallel.For(0, channels.Count, c =>
        {
            result[c] = new float[OutputFrames(channels[c].Length, inputRate, outputRate)];
            Resample(channels[c], inputRate, result[c], outputRate);
        });
        return result;
    }

    /// <summary>A WDL resampler in the mode every conversion here uses.</summary>
    internal static WdlResampler Create(int inputRate, int outputRate)
    {
        var wdl = new WdlResampler();
        wdl.SetMode(true, 0, true, SincTaps, SincOversampling);
        wdl.SetFeedMode(true);
        wdl.SetRates(inputRate, outputRate);
        return wdl;
    }

    /// <summary>Feeds the input then silence, dropping the first <paramref name="delay"/> output frames.</summary>
    private static void Run(ReadOnlySpan<float> input, int inputRate, Span<float> output, int outputRate, int delay)
    {
        WdlResampler wdl = Create(inputRate, outputRate);
        double ratio = (double)outputRate / inputRate;
        float[] produced = new float[(int)Math.Ceiling(ChunkFrames * ratio) + 64];
        int skip = delay;
        int written = 0;
        int position = 0;
        int flushLeft = SincTaps * 4;
        while (written < output.Length)
        {
            int take = position < input.Length ? Math.Min(ChunkFrames, input.Length - position) : Math.Min(ChunkFrames, flushLeft);
            if (take <= 0)
            {
                break; // cannot happen with the flush length above; guards an endless loop
            }

            int want = Math.Min(take, wdl.ResamplePrepare(take, 1, out Span<float> inBuffer));
            if (position < input.Length)
            {
                input.Slice(position, want).CopyTo(inBuffer);
                position += want;
            }
            else
            {
                inBuffer[..want].Clear();
                flushLeft -= want;
            }

            int got = wdl.ResampleOut(produced, want, produced.Length, 1);
            int from = Math.Min(skip, got);
            skip -= from;
            int copy = Math.Min(got - from, output.Length - written);
            produced.AsSpan(from, copy).CopyTo(output[written..]);
            written += copy;
        }

        output[written..].Clear();
    }

    /// <summary>Delay of the filter in output frames: where a band-limited click placed at a known
    /// input time comes out (peak of the output, refined by a parabola).</summary>
    private static int MeasureDelay(int inputRate, int outputRate)
    {
        int n = SincTaps * 16;
        int at = SincTaps * 4;
        float[] click = new float[n];
        click[at] = 1f;
        double ratio = (double)outputRate / inputRate;
        float[] output = new float[(int)OutputFrames(n, inputRate, outputRate)];
        Run(click, inputRate, output, outputRate, 0);
        int peak = 0;
        for (int i = 1; i < output.Length; i++)
        {
            if (output[i] > output[peak])
            {
                peak = i;
            }
        }

        double refined = peak;
        if (peak > 0 && peak < output.Length - 1)
        {
            double a = output[peak - 1], b = output[peak], c = output[peak + 1];
            double denominator = a - (2 * b) + c;
            if (denominator != 0)
            {
                refined = peak + (0.5 * (a - c) / denominator);
            }
        }

        return (int)Math.Round(refined - (at * ratio));
    }
}
