using MixMate.Dsp.Utility;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Dsp.Tests.Utility;

/// <summary>Shared checks every processor must pass: block-size independence, strided and
/// in-place use, zero allocation, finite normal output.</summary>
internal static class ProcessorHarness
{
    public static readonly int[] BlockSizes = [1, 7, 64, 512, 4096];

    /// <summary>Copies planar channels into one buffer (channel c at c·frames).</summary>
    public static float[] Interleave(float[][] channels)
    {
        int frames = channels[0].Length;
        var buffer = new float[channels.Length * frames];
        for (int c = 0; c < channels.Length; c++)
        {
            channels[c].CopyTo(buffer, c * frames);
        }

        return buffer;
    }

    public static float[][] Split(float[] buffer, int channels)
    {
        int frames = buffer.Length / channels;
        var result = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            result[c] = buffer.AsSpan(c * frames, frames).ToArray();
        }

        return result;
    }

    /// <summary>Runs <paramref name="input"/> through <paramref name="processor"/> in blocks of
    /// <paramref name="blockSize"/> frames (in place on a copy) and returns the output.</summary>
    public static float[][] Run(IAudioProcessor processor, float[][] input, int blockSize)
    {
        int channels = input.Length;
        int frames = input[0].Length;
        float[] buffer = Interleave(input);
        for (int start = 0; start < frames; start += blockSize)
        {
            int n = Math.Min(blockSize, frames - start);
            processor.Process(new AudioBlock(buffer.AsSpan(start), channels, n, frames));
        }

        return Split(buffer, channels);
    }

    /// <summary>Runs in blocks of pseudo-random size 0…<paramref name="maxSize"/> (zero-frame blocks included).</summary>
    public static float[][] RunRandomBlocks(IAudioProcessor processor, float[][] input, int maxSize, ulong seed)
    {
        var random = new XorShiftRandom(seed);
        int channels = input.Length;
        int frames = input[0].Length;
        float[] buffer = Interleave(input);
        int start = 0;
        while (start < frames)
        {
            int n = Math.Min((int)(random.NextUInt64() % (ulong)(maxSize + 1)), frames - start);
            processor.Process(new AudioBlock(buffer.AsSpan(start), channels, n, frames));
            start += n;
        }

        return Split(buffer, channels);
    }

    /// <summary>Runs through a block whose stride exceeds its frame count, with NaN guards in the
    /// gaps: the processor must touch only its frames.</summary>
    public static float[][] RunStrided(IAudioProcessor processor, float[][] input, int blockSize)
    {
        int channels = input.Length;
        int frames = input[0].Length;
        const int Gap = 5;
        int stride = frames + Gap;
        var buffer = new float[channels * stride];
        Array.Fill(buffer, float.NaN);
        for (int c = 0; c < channels; c++)
        {
            input[c].CopyTo(buffer, c * stride);
        }

        for (int start = 0; start < frames; start += blockSize)
        {
            int n = Math.Min(blockSize, frames - start);
            processor.Process(new AudioBlock(buffer.AsSpan(start), channels, n, stride));
        }

        var result = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            result[c] = buffer.AsSpan(c * stride, frames).ToArray();
            for (int g = 0; g < Gap; g++)
            {
                Assert.True(float.IsNaN(buffer[c * stride + frames + g]), $"gap after channel {c} was written");
            }
        }

        return result;
    }

    /// <summary>
    /// Output must not depend on how the signal is cut into blocks: sizes 1, 7, 64, 512, 4096
    /// (longer than the configured maximum), random sizes 0…300 and a strided block all match a
    /// reference run. <paramref name="tolerance"/> 0 means bit-identical.
    /// </summary>
    public static void AssertBlockSizeInvariant(Func<IAudioProcessor> create, float[][] input, double sampleRate,
        int maxBlockFrames = 512, double tolerance = 0, Action<IAudioProcessor>? atMiddle = null)
    {
        float[][] Render(Func<IAudioProcessor, float[][], float[][]> run)
        {
            IAudioProcessor p = create();
            p.Configure(sampleRate, input.Length, maxBlockFrames);
            if (atMiddle is null)
            {
                return run(p, input);
            }

            // Parameter change at the same absolute sample for every block size.
            int half = input[0].Length / 2;
            float[][] first = run(p, input.Select(x => x[..half]).ToArray());
            atMiddle(p);
            float[][] second = run(p, input.Select(x => x[half..]).ToArray());
            return first.Zip(second, (a, b) => a.Concat(b).ToArray()).ToArray();
        }

        float[][] reference = Render((p, x) => Run(p, x, 64));
        foreach (int size in BlockSizes)
        {
            AssertSame(reference, Render((p, x) => Run(p, x, size)), tolerance, $"block size {size}");
        }

        AssertSame(reference, Render((p, x) => RunRandomBlocks(p, x, 300, 17)), tolerance, "random block sizes");
        AssertSame(reference, Render((p, x) => RunStrided(p, x, 100)), tolerance, "strided block");
    }

    public static void AssertSame(float[][] expected, float[][] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int c = 0; c < expected.Length; c++)
        {
            if (tolerance == 0)
            {
                int mismatch = expected[c].AsSpan().CommonPrefixLength(actual[c]);
                Assert.True(mismatch == expected[c].Length,
                    $"{what}: channel {c} differs first at sample {mismatch}");
            }
            else
            {
                Tolerance.AssertAllClose(expected[c], actual[c], tolerance, $"{what}, channel {c}");
            }
        }
    }

    /// <summary>
    /// Bytes allocated by processing after warm-up: each iteration
    /// processes a 64-frame block, a 0-frame block and a block three times the configured maximum,
    /// with a loud signal so every code path (limiting, gliding) runs.
    /// </summary>
    public static long MeasureProcessAllocations(IAudioProcessor processor, int channels, int maxBlockFrames,
        Action<int>? betweenBlocks = null)
    {
        int longFrames = 3 * maxBlockFrames;
        float[] buffer = new float[channels * longFrames];
        float[] source = TestSignals.Noise(buffer.Length, 2.0, 99);
        int iteration = 0;
        void Once()
        {
            betweenBlocks?.Invoke(iteration++);
            source.CopyTo(buffer, 0);
            processor.Process(new AudioBlock(buffer, channels, 64, longFrames));
            processor.Process(new AudioBlock(buffer, channels, 0, longFrames));
            processor.Process(new AudioBlock(buffer, channels, longFrames, longFrames));
        }

        // Warm-up long enough for tiered compilation to finish promoting the hot methods (30 calls,
        // then a 100 ms delay, then a background re-JIT): the first promotion in a process can
        // allocate on the calling thread, which is the runtime's cost, not the processor's.
        void WarmUp()
        {
            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < 100; i++)
                {
                    Once();
                }

                Thread.Sleep(150);
            }
        }

        return Allocations.Measure(WarmUp, Once, 500);
    }

    /// <summary>Denormal-level input, then loud input followed by long silence: the output stays
    /// finite and normal throughout.</summary>
    public static void AssertFiniteNormalOutput(IAudioProcessor processor, int channels, double sampleRate)
    {
        processor.Configure(sampleRate, channels, 256);
        int n = (int)sampleRate * 2;
        float[] tiny = TestSignals.Noise(n, 1e-39, 5); // subnormal floats
        float[] loud = TestSignals.Noise(n / 4, 4.0, 6);
        float[] silence = new float[3 * n];
        float[] signal = TestSignals.Concat(tiny, loud, silence, TestSignals.Scale(TestSignals.Sine(n / 4, sampleRate, 50, 1.0), 1e-36));
        float[][] input = Enumerable.Range(0, channels).Select(_ => signal).ToArray();
        float[][] output = Run(processor, input, 256);
        for (int c = 0; c < channels; c++)
        {
            Tolerance.AssertFiniteNormal(output[c], $"channel {c}");
        }
    }
}
