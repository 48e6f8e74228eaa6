using System.Runtime.InteropServices;
using MixMate.Assistant.Mastering;
using MixMate.Assistant.Streaming;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;
using MixMate.Dsp;

namespace MixMate.Cli.Audio;

/// <summary>
/// Where <c>master</c> keeps a render while it decides how to finish it: raw interleaved 32-bit
/// float in a hidden temporary file next to the output (MixMate's own naming, so an interrupted
/// run removes it and a killed one's is swept by the next), read back block by block for the
/// delivery pass with the engine's trim applied. Memory: one block, whatever the programme's length;
/// disk: 4 bytes per sample (1.4 GB for an hour of 48 kHz stereo). A render known to be short
/// (at most <see cref="MemoryLimitBytes"/> as float: about 70 s of 44.1 kHz stereo) stays in
/// memory instead, which spares the file's writes and reads.
/// </summary>
/// <remarks>[one caller at a time]</remarks>
internal sealed class ScratchRender : IRenderScratch, IDisposable
{
    private const int BlockFrames = 4096;

    private readonly string _path;
    private readonly string _destination;
    private readonly int _channels;
    private readonly float[] _interleaved;
    private FileStream? _stream;
    private float? _trim;

    /// <summary>Largest render kept in memory rather than in a file, bytes of float samples.</summary>
    public const long MemoryLimitBytes = 24L << 20;

    private readonly MemoryRenderScratch? _memory;

    /// <summary>[any thread] A scratch file beside <paramref name="destination"/>; in memory when
    /// <paramref name="expectedFrames"/> (the render's length, when the caller knows it) is short.</summary>
    public ScratchRender(string destination, int channels, double sampleRate, long? expectedFrames = null)
    {
        _destination = destination;
        _channels = channels;
        SampleRate = sampleRate;
        if (expectedFrames is long frames && frames * channels * sizeof(float) <= MemoryLimitBytes)
        {
            _memory = new MemoryRenderScratch(channels, sampleRate, frames);
            _interleaved = [];
            _path = string.Empty;
            return;
        }

        _interleaved = new float[BlockFrames * channels];
        _path = AtomicFile.TemporaryPathFor(destination);
    }

    public double SampleRate { get; }

    /// <summary>Frames of the render last written.</summary>
    public long Frames
    {
        get => _memory?.Frames ?? _fileFrames;
        private set => _fileFrames = value;
    }

    private long _fileFrames;

    public void Begin()
    {
        if (_memory is not null)
        {
            _memory.Begin();
            _trim = null;
            return;
        }

        FileStream stream = _stream ??= Create();
        Io(() =>
        {
            stream.Position = 0;
            stream.SetLength(0);
        });
        Frames = 0;
        _trim = null;
    }

    public void Write(AudioBlock piece)
    {
        if (_memory is not null)
        {
            _memory.Write(piece);
            return;
        }

        FileStream stream = _stream ?? throw new InvalidOperationException("Begin first.");
        for (int start = 0; start < piece.Frames; start += BlockFrames)
        {
            int n = Math.Min(BlockFrames, piece.Frames - start);
            Span<float> chunk = _interleaved.AsSpan(0, n * _channels);
            for (int c = 0; c < _channels; c++)
            {
                ReadOnlySpan<float> x = piece[c].Slice(start, n);
                for (int i = 0, k = c; i < n; i++, k += _channels)
                {
                    chunk[k] = x[i];
                }
            }

            try
            {
                stream.Write(MemoryMarshal.AsBytes(chunk));
            }
            catch (IOException e)
            {
                throw Failed(e);
            }
        }

        Frames += piece.Frames;
    }

    public void Trim(float gain) => _trim = gain;

    /// <summary>[caller] The render as last written, trimmed; read it with one pass.</summary>
    public IAudioSource Open()
    {
        if (_memory is not null)
        {
            return _trim is float gain ? new Trimmed(_memory.Open(), gain) : _memory.Open();
        }

        FileStream stream = _stream ?? throw new InvalidOperationException("Nothing was rendered.");
        Io(stream.Flush);
        var reader = new Reader(this, stream);
        reader.Rewind();
        return reader;
    }

    public void Dispose()
    {
        try
        {
            // Disposing flushes what is buffered, which fails again on a full disk: the file goes anyway.
            _stream?.Dispose();
        }
        catch (IOException)
        {
        }

        _stream = null;
        if (_memory is null)
        {
            AtomicFile.Delete(_path);
        }
    }

    private FileStream Create()
    {
        try
        {
            return new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.ForFile(_destination, $"could not be written (no room for the working copy of the render beside it: {Plain(e)})");
        }
    }

    /// <summary>Runs a file operation on the scratch file; a failure (a full disk shows at a flush)
    /// is the output's failure, in one line.</summary>
    private void Io(Action operation)
    {
        try
        {
            operation();
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    private CliException Failed(IOException e) =>
        CliException.ForFile(_destination, $"could not be written (the working copy of the render beside it failed: {Plain(e)})");

    /// <summary>The system's message without the hidden file's name (the user never saw it).</summary>
    private string Plain(Exception e) =>
        e.Message.Replace($" : '{_path}'", string.Empty, StringComparison.Ordinal).Replace(_path, "it", StringComparison.Ordinal).TrimEnd('.', ' ');

    /// <summary>The render in memory, read with the trim (as the file is).</summary>
    private sealed class Trimmed(IAudioSource inner, float gain) : IAudioSource
    {
        public int Channels => inner.Channels;

        public double SampleRate => inner.SampleRate;

        public long Frames => inner.Frames;

        public void Rewind() => inner.Rewind();

        public int Read(AudioBlock destination)
        {
            int n = inner.Read(destination);
            for (int c = 0; c < destination.Channels; c++)
            {
                Span<float> x = destination[c][..n];
                for (int i = 0; i < x.Length; i++)
                {
                    x[i] *= gain;
                }
            }

            return n;
        }
    }

    /// <summary>Reads the scratch file back, deinterleaved, with the trim.</summary>
    private sealed class Reader(ScratchRender owner, FileStream stream) : IAudioSource
    {
        private long _position;

        public int Channels => owner._channels;

        public double SampleRate => owner.SampleRate;

        public long Frames => owner.Frames;

        public void Rewind()
        {
            stream.Position = 0;
            _position = 0;
        }

        public int Read(AudioBlock destination)
        {
            int channels = owner._channels;
            int total = 0;
            while (total < destination.Frames && _position < Frames)
            {
                int n = (int)Math.Min(Math.Min(BlockFrames, destination.Frames - total), Frames - _position);
                Span<float> chunk = owner._interleaved.AsSpan(0, n * channels);
                stream.ReadExactly(MemoryMarshal.AsBytes(chunk));
                for (int c = 0; c < channels; c++)
                {
                    Span<float> x = destination[c].Slice(total, n);
                    for (int i = 0, k = c; i < n; i++, k += channels)
                    {
                        x[i] = chunk[k];
                    }

                    if (owner._trim is float trim)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            x[i] *= trim;
                        }
                    }
                }

                total += n;
                _position += n;
            }

            return total;
        }
    }
}
