using MixMate.Assistant.Mastering;
using MixMate.Assistant.Streaming;
using MixMate.Dsp;
using NAudio.Dsp;

namespace MixMate.Assistant.Resampling;

/// <summary>
/// <see cref="Resampler"/> on a stream: every channel's converter is fed exactly the steps
/// <see cref="Resampler.Resample(ReadOnlySpan{float}, int, Span{float}, int)"/> feeds it on the
/// whole signal, in lock step, so the output is the same sample for sample while memory is one
/// step per channel. Analysis and file work only: it allocates.
/// </summary>
public static class StreamingResampler
{
    /// <summary>[any-thread, not the audio thread] Converts <paramref name="input"/> (read once from
    /// its start; its <see cref="IAudioSource.Frames"/> must be exact) to <paramref name="outputRate"/>
    /// into <paramref name="output"/>: <see cref="Resampler.OutputFrames"/> frames.</summary>
    public static void Convert(IAudioSource input, int outputRate, IRenderTarget output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputRate, 1);
        int inputRate = checked((int)Math.Round(input.SampleRate));
        int channels = input.Channels;
        long inputFrames = input.Frames;
        long total = Resampler.OutputFrames(inputFrames, inputRate, outputRate);
        int step = Resampler.FeedFrames;
        var feed = new float[channels * step];
        var feedBlock = new AudioBlock(feed, channels, step, step);
        input.Rewind();
        output.Begin();
        if (inputRate == outputRate)
        {
            int read;
            while ((read = input.Read(feedBlock)) > 0)
            {
                output.Write(feedBlock.Slice(0, read));
            }

            return;
        }

        var converters = new WdlResampler[channels];
        for (int c = 0; c < channels; c++)
        {
            converters[c] = Resampler.Create(inputRate, outputRate);
        }

        double ratio = (double)outputRate / inputRate;
        int producedLength = (int)Math.Ceiling(step * ratio) + 64;
        var produced = new float[channels * producedLength];
        int skip = Resampler.DelayFor(inputRate, outputRate);
        long written = 0;
        long position = 0;
        int flushLeft = Resampler.FlushFrames;
        while (written < total)
        {
            int take = position < inputFrames ? (int)Math.Min(step, inputFrames - position) : Math.Min(step, flushLeft);
            if (take <= 0)
            {
                break; // cannot happen with the flush length; guards an endless loop
            }

            int want = 0, got = 0;
            for (int c = 0; c < channels; c++)
            {
                int w = Math.Min(take, converters[c].ResamplePrepare(take, 1, out Span<float> inBuffer));
                if (c == 0)
                {
                    want = w;
                    if (position < inputFrames)
                    {
                        Fill(input, feedBlock.Slice(0, want));
                    }
                }
                else if (w != want)
                {
                    throw new InvalidOperationException("The channels' converters fell out of step.");
                }

                if (position < inputFrames)
                {
                    feedBlock[c][..want].CopyTo(inBuffer);
                }
                else
                {
                    inBuffer[..want].Clear();
                }

                int g = converters[c].ResampleOut(produced.AsSpan(c * producedLength, producedLength), want, producedLength, 1);
                got = c == 0 ? g : got;
            }

            if (position < inputFrames)
            {
                position += want;
            }
            else
            {
                flushLeft -= want;
            }

            int from = Math.Min(skip, got);
            skip -= from;
            int copy = (int)Math.Min(got - from, total - written);
            if (copy > 0)
            {
                output.Write(new AudioBlock(produced, channels, producedLength, producedLength).Slice(from, copy));
                written += copy;
            }
        }

        // The original clears what the loop could not fill (it never happens with the flush length).
        feedBlock.Clear();
        while (written < total)
        {
            int n = (int)Math.Min(step, total - written);
            output.Write(feedBlock.Slice(0, n));
            written += n;
        }
    }

    private static void Fill(IAudioSource input, AudioBlock destination)
    {
        int total = 0;
        while (total < destination.Frames)
        {
            int got = input.Read(destination.Slice(total, destination.Frames - total));
            if (got == 0)
            {
                throw new InvalidOperationException("The programme ended before the frames it declared.");
            }

            total += got;
        }
    }
}
