using System.Globalization;
using MixMate.Cli.CommandLine;
using MixMate.Dsp;

namespace MixMate.Cli.Audio;

/// <summary>
/// A whole recording in memory as planar 32-bit float: channel <c>c</c> occupies
/// <c>Samples[c * Frames .. (c + 1) * Frames)</c>. Used where an algorithm needs more than one pass
/// (mastering: analyse, then process).
/// </summary>
/// <remarks>[any thread, one at a time]</remarks>
internal sealed class PlanarBuffer
{
    /// <summary>Largest buffer <see cref="Load"/> accepts: 2^30 samples, i.e. 4 GiB of float
    /// (about 3 h of 48 kHz 5.1, or 6 h of 48 kHz stereo).</summary>
    public const long MaxSamples = 1L << 30;

    public PlanarBuffer(int channels, int frames, double sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        if ((long)channels * frames > MaxSamples)
        {
            throw new ArgumentOutOfRangeException(nameof(frames), "More than MaxSamples samples.");
        }

        Channels = channels;
        Frames = frames;
        SampleRate = sampleRate;
        Samples = new float[channels * frames];
    }

    /// <summary>Planar storage, channel after channel.</summary>
    public float[] Samples { get; }

    public int Channels { get; }

    public int Frames { get; }

    public double SampleRate { get; }

    public double DurationSeconds => Frames / SampleRate;

    /// <summary>The whole buffer as a block.</summary>
    public AudioBlock Block => new(Samples, Channels, Frames, Frames);

    /// <summary>The samples of one channel.</summary>
    public Span<float> this[int channel] => Samples.AsSpan(channel * Frames, Frames);

    /// <summary>A view of <paramref name="frames"/> frames starting at <paramref name="start"/>.</summary>
    public AudioBlock Slice(int start, int frames) => Block.Slice(start, frames);

    /// <summary>[any thread] Reads the whole of <paramref name="path"/>.</summary>
    /// <exception cref="CliException">The file cannot be read (see <see cref="AudioFileReader.Open"/>),
    /// holds non-finite samples, or is too large to hold in memory.</exception>
    public static PlanarBuffer Load(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        long samples = reader.Frames * reader.Channels;
        if (samples > MaxSamples)
        {
            throw CliException.ForFile(path, string.Create(CultureInfo.InvariantCulture,
                $"is too long to load: {reader.Frames} frames × {reader.Channels} channels ({samples * sizeof(float) / (1024.0 * 1024 * 1024):0.0} GiB as float; the limit is {MaxSamples * sizeof(float) / (1024 * 1024 * 1024)} GiB)"));
        }

        var buffer = new PlanarBuffer(reader.Channels, (int)reader.Frames, reader.SampleRate);
        int read = 0;
        while (read < buffer.Frames)
        {
            int got = reader.Read(buffer.Slice(read, buffer.Frames - read));
            if (got == 0)
            {
                break;
            }

            read += got;
        }

        // Compressed formats may decode to slightly fewer frames than announced.
        return read == buffer.Frames ? buffer : buffer.Truncated(read);
    }

    /// <summary>[any thread] Reads the whole of <paramref name="path"/> into <paramref name="storage"/>,
    /// which is replaced by a larger array only when too small, so one worker analysing many files
    /// allocates once. Returns a view of the audio: planar, channel <c>c</c> at
    /// <c>storage[c * Stride ..]</c>, with <c>Frames</c> the frames actually decoded.</summary>
    /// <exception cref="CliException">As <see cref="Load"/>.</exception>
    public static AudioBlock LoadInto(string path, ref float[] storage)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        long samples = reader.Frames * reader.Channels;
        if (samples > MaxSamples)
        {
            throw CliException.ForFile(path, string.Create(CultureInfo.InvariantCulture,
                $"is too long to load: {reader.Frames} frames × {reader.Channels} channels ({samples * sizeof(float) / (1024.0 * 1024 * 1024):0.0} GiB as float; the limit is {MaxSamples * sizeof(float) / (1024 * 1024 * 1024)} GiB)"));
        }

        if (storage.Length < samples)
        {
            // The old array goes first, so two of them never have to fit at once.
            storage = [];
            storage = new float[samples];
        }

        int frames = (int)reader.Frames;
        var whole = new AudioBlock(storage, reader.Channels, frames, frames);
        int read = 0;
        while (read < frames)
        {
            int got = reader.Read(whole.Slice(read, frames - read));
            if (got == 0)
            {
                break;
            }

            read += got;
        }

        // Compressed formats may decode to slightly fewer frames than announced.
        return whole.Slice(0, read);
    }

    /// <summary>[any thread] This signal converted to <paramref name="sampleRate"/> (the same buffer when
    /// the rate already matches), through <see cref="MixMate.Assistant.Resampling.Resampler"/>.</summary>
    public PlanarBuffer ResampledTo(int sampleRate)
    {
        int rate = checked((int)Math.Round(SampleRate));
        if (rate == sampleRate)
        {
            return this;
        }

        long frames = MixMate.Assistant.Resampling.Resampler.OutputFrames(Frames, rate, sampleRate);
        if (frames * Channels > MaxSamples)
        {
            throw new InvalidOperationException("The resampled signal does not fit in memory.");
        }

        var result = new PlanarBuffer(Channels, (int)frames, sampleRate);
        Parallel.For(0, Channels, c => MixMate.Assistant.Resampling.Resampler.Resample(this[c], rate, result[c], sampleRate));
        return result;
    }

    /// <summary>[any thread] Writes the buffer as WAV (see <see cref="AudioFileWriter.Create(string, int, int, SampleFormat)"/>).</summary>
    public void Save(string path, SampleFormat format) =>
        AudioFileWriter.WriteAll(path, Block, checked((int)Math.Round(SampleRate)), format);

    private PlanarBuffer Truncated(int frames)
    {
        var shorter = new PlanarBuffer(Channels, frames, SampleRate);
        for (int c = 0; c < Channels; c++)
        {
            this[c][..frames].CopyTo(shorter[c]);
        }

        return shorter;
    }
}
