using MixMate.Assistant.Eq;
using MixMate.Cli.Audio;
using MixMate.Dsp;
using MixMate.Dsp.Filters;

namespace MixMate.Cli.Commands;

/// <summary>
/// One stem as <c>mixmate mix</c> streams it into the sum: read block by block, through its
/// <see cref="FixedEq"/> (when it has cuts); the gain is applied when the block is added.
/// </summary>
/// <remarks>[one thread at a time] Memory: one block of <see cref="BlockFrames"/> frames.</remarks>
internal sealed class MixStemSource : IDisposable
{
    private readonly AudioFileReader _reader;
    private readonly FixedEq? _equalizer;
    private readonly float[] _samples;

    /// <summary>[any thread] Opens <paramref name="path"/>.</summary>
    /// <exception cref="CommandLine.CliException">The file cannot be read.</exception>
    public MixStemSource(string path, IReadOnlyList<EqMove> eq, int blockFrames)
    {
        _reader = AudioFileReader.Open(path);
        try
        {
            BlockFrames = blockFrames;
            _samples = new float[blockFrames * _reader.Channels];
            if (eq.Count > 0)
            {
                _equalizer = new FixedEq(eq.Count);
                _equalizer.Configure(_reader.SampleRate, _reader.Channels, blockFrames);
                _equalizer.SetBands([.. eq.Select(m => m.ToBand())]);
            }
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
    }

    /// <summary>Frames per block at most.</summary>
    public int BlockFrames { get; }

    /// <summary>Channels of the stem (1 or 2 in a mix).</summary>
    public int Channels => _reader.Channels;

    /// <summary>The block read last (<see cref="Frames"/> frames, equalised).</summary>
    public AudioBlock Block => new(_samples, _reader.Channels, Frames, BlockFrames);

    /// <summary>Frames in <see cref="Block"/>: fewer than asked for only at the end of the file.</summary>
    public int Frames { get; private set; }

    /// <summary>[owning thread] Reads and equalises the next <paramref name="frames"/> frames
    /// (at most <see cref="BlockFrames"/>); returns how many there were.</summary>
    /// <exception cref="CommandLine.CliException">The file is corrupt or truncated.</exception>
    public int ReadNext(int frames)
    {
        var block = new AudioBlock(_samples, _reader.Channels, Math.Min(frames, BlockFrames), BlockFrames);
        Frames = _reader.Read(block);
        _equalizer?.Process(block.Slice(0, Frames));
        return Frames;
    }

    public void Dispose() => _reader.Dispose();
}
