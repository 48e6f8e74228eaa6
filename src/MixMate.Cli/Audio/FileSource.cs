using MixMate.Assistant.Streaming;
using MixMate.Cli.CommandLine;
using MixMate.Dsp;

namespace MixMate.Cli.Audio;

/// <summary>
/// An audio file as an <see cref="IAudioSource"/>: each pass streams it from disk through
/// <see cref="AudioFileReader"/> (one chunk in memory), going back to the start with a seek, or by
/// reopening the file where a lossy decoder cannot restart exactly. The frame count becomes exact
/// once a pass has read to the end (a lossy file's header only estimates it).
/// </summary>
/// <remarks>[one reader at a time]</remarks>
internal sealed class FileSource : IAudioSource, IDisposable
{
    private AudioFileReader _reader;
    private long? _decodedFrames;

    private FileSource(AudioFileReader reader)
    {
        _reader = reader;
    }

    /// <summary>The path as given (every message names it).</summary>
    public string Path => _reader.Path;

    public int Channels => _reader.Channels;

    public double SampleRate => _reader.SampleRate;

    /// <summary>Frames decoded to the end on a pass, or the header's count before one.</summary>
    public long Frames => _decodedFrames ?? _reader.Frames;

    /// <summary>The open reader (its format, for the checks that judge the storage).</summary>
    public AudioFileReader Reader => _reader;

    /// <summary>[any thread] Opens <paramref name="path"/>.</summary>
    /// <exception cref="CliException">As <see cref="AudioFileReader.Open"/>.</exception>
    public static FileSource Open(string path) => new(AudioFileReader.Open(path));

    public void Rewind()
    {
        if (_reader.Position == 0 || _reader.TryRewind())
        {
            return;
        }

        string path = _reader.Path;
        _reader.Dispose();
        _reader = AudioFileReader.Open(path);
    }

    public int Read(AudioBlock destination)
    {
        int got = _reader.Read(destination);
        if (got < destination.Frames)
        {
            _decodedFrames = _reader.Position;
        }

        return got;
    }

    public void Dispose() => _reader.Dispose();
}
