using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Mastering;

/// <summary>
/// Runs a real-time processor over a whole programme offline, compensating its latency: the output
/// is exactly as long as the input and sample-aligned with it (the processor is fed
/// <see cref="IAudioProcessor.LatencySamples"/> frames of silence at the end and its first
/// latency frames are dropped). Optionally meters the aligned output on the way.
/// </summary>
public sealed class OfflineRenderer
{
    /// <summary>Frames per processing block; large blocks amortise per-call overhead offline.</summary>
    public const int BlockFrames = 4096;

    private readonly float[] _scratch;
    private readonly int _channels;

    /// <param name="channels">Channel count of the programmes to render.</param>
    public OfflineRenderer(int channels)
    {
        _channels = channels;
        _scratch = new float[channels * BlockFrames];
    }

    /// <summary>[non-real-time] Processes <paramref name="input"/> into <paramref name="output"/> (same shape).
    /// The processor must be configured for this channel count and reset by the caller.</summary>
    public void Render(IAudioProcessor processor, AudioBlock input, AudioBlock output, LoudnessMeter? meter = null, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(processor);
        if (input.Channels != _channels || output.Channels != _channels || output.Frames != input.Frames)
        {
            throw new ArgumentException("Input and output must have the renderer's channel count and the same length.", nameof(output));
        }

        int latency = processor.LatencySamples;
        long total = input.Frames;
        long end = total + latency;
        var block = new AudioBlock(_scratch, _channels, BlockFrames, BlockFrames);
        for (long position = 0; position < end; position += BlockFrames)
        {
            int n = (int)Math.Min(BlockFrames, end - position);
            AudioBlock piece = block.Slice(0, n);
            int fromInput = (int)Math.Clamp(total - position, 0, n);
            for (int c = 0; c < _channels; c++)
            {
                Span<float> destination = piece[c];
                if (fromInput > 0)
                {
                    input[c].Slice((int)position, fromInput).CopyTo(destination);
                }

                destination[fromInput..].Clear();
            }

            processor.Process(piece);

            // Frame i of this piece is output frame position + i − latency.
            long first = position - latency;
            int skip = (int)Math.Max(0, -first);
            if (skip >= n)
            {
                continue;
            }

            int outStart = (int)(first + skip);
            int count = n - skip;
            for (int c = 0; c < _channels; c++)
            {
                piece[c].Slice(skip, count).CopyTo(output[c].Slice(outStart, count));
            }

            meter?.Process(output.Slice(outStart, count));
            progress?.Invoke((double)(position + n) / end);
        }

        meter?.Flush();
    }
}
