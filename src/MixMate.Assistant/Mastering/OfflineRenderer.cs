using MixMate.Assistant.Streaming;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;

namespace MixMate.Assistant.Mastering;

/// <summary>
/// Runs a real-time processor over a whole programme offline, compensating its latency: the output
/// is exactly as long as the input and sample-aligned with it (the processor is fed
/// <see cref="IAudioProcessor.LatencySamples"/> frames of silence at the end and its first
/// latency frames are dropped). Optionally meters the aligned output on the way. The programme is
/// read from an <see cref="IAudioSource"/> and the output handed to an <see cref="IRenderTarget"/>
/// block by block, so memory is one block whatever the programme's length.
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
    public unsafe void Render(IAudioProcessor processor, AudioBlock input, AudioBlock output, LoudnessMeter? meter = null, Action<double>? progress = null)
    {
        if (input.Channels != _channels || output.Channels != _channels || output.Frames != input.Frames)
        {
            throw new ArgumentException("Input and output must have the renderer's channel count and the same length.", nameof(output));
        }

        fixed (float* from = input.IsEmpty ? default : input[0])
        fixed (float* to = output.IsEmpty ? default : output[0])
        {
            var source = new PinnedBlockSource(from, input.Channels, input.Frames, input.Stride, 1);
            var target = new PinnedBlockTarget(to, output.Channels, output.Frames, output.Stride);
            Render(processor, source, target, meter, progress);
        }
    }

    /// <summary>[non-real-time] Processes <paramref name="input"/> from its first frame into
    /// <paramref name="output"/> (null: only metered). The processor must be configured for this
    /// channel count and reset by the caller; the target's <see cref="IRenderTarget.Begin"/> is
    /// called here.</summary>
    public void Render(IAudioProcessor processor, IAudioSource input, IRenderTarget? output, LoudnessMeter? meter = null, Action<double>? progress = null) =>
        Render(processor, input, output, meter, progress, 0, 0);

    /// <summary>[non-real-time] As the other streaming overload, for a render in two stages: the
    /// programme is the input's first <c>Frames − inputTailFrames</c> frames, and its last
    /// <paramref name="inputTailFrames"/> frames stand in for the silence fed after it (an earlier
    /// stage's ringing, which the first stage's own render would have fed on); the output gets
    /// <paramref name="outputTailFrames"/> frames beyond the programme (the ringing the next stage
    /// feeds on). A stage of latency L rendered with <c>outputTailFrames = L'</c> followed by one
    /// rendered with <c>inputTailFrames = L'</c> gives exactly what one render of both would.</summary>
    public void Render(IAudioProcessor processor, IAudioSource input, IRenderTarget? output, LoudnessMeter? meter, Action<double>? progress,
        int inputTailFrames, int outputTailFrames)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Channels != _channels)
        {
            throw new ArgumentException("The input must have the renderer's channel count.", nameof(input));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(inputTailFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTailFrames);
        input.Rewind();
        output?.Begin();
        int latency = processor.LatencySamples;
        long available = input.Frames;
        long total = Math.Max(0, available - inputTailFrames);
        long end = total + latency + outputTailFrames;
        var block = new AudioBlock(_scratch, _channels, BlockFrames, BlockFrames);
        for (long position = 0; position < end; position += BlockFrames)
        {
            int n = (int)Math.Min(BlockFrames, end - position);
            AudioBlock piece = block.Slice(0, n);
            int wanted = (int)Math.Clamp(available - position, 0, n);
            int fromInput = 0;
            while (fromInput < wanted)
            {
                int got = input.Read(piece.Slice(fromInput, wanted - fromInput));
                if (got == 0)
                {
                    throw new InvalidOperationException($"The programme ended at frame {position + fromInput} of the {available} it declared.");
                }

                fromInput += got;
            }

            for (int c = 0; c < _channels; c++)
            {
                piece[c][fromInput..].Clear();
            }

            processor.Process(piece);

            // Frame i of this piece is output frame position + i − latency.
            long first = position - latency;
            int skip = (int)Math.Max(0, -first);
            if (skip >= n)
            {
                continue;
            }

            AudioBlock aligned = piece.Slice(skip, n - skip);
            output?.Write(aligned);
            meter?.Process(aligned);
            progress?.Invoke((double)(position + n) / end);
        }

        meter?.Flush();
    }
}
