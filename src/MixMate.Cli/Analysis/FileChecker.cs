using MixMate.Assistant.Problems;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Dsp;

namespace MixMate.Cli.Analysis;

/// <summary>
/// Runs the <see cref="ProblemChecker"/> over a file, streamed in blocks (memory does not grow with
/// the file), or over audio already in memory. Used by <c>check</c>, and by <c>master</c> and
/// <c>mix</c> for their warnings.
/// </summary>
internal static class FileChecker
{
    /// <summary>Frames per block read from the file.</summary>
    public const int BlockFrames = 4096;

    /// <summary>[any thread] Checks the file at <paramref name="path"/>.</summary>
    /// <exception cref="CliException">The file cannot be read or holds no audio.</exception>
    public static CheckReport Check(string path, CheckProfile profile, Action<double>? progress = null)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        if (reader.Frames == 0)
        {
            throw CliException.ForFile(path, "holds no audio (0 frames)");
        }

        if (reader.SampleRate < 8000)
        {
            throw CliException.ForFile(path, $"cannot be checked ({reader.SampleRate} Hz): need a sample rate of at least 8 kHz");
        }

        using var checker = new ProblemChecker(profile, FormatOf(reader));
        var samples = new float[BlockFrames * reader.Channels];
        var block = new AudioBlock(samples, reader.Channels, BlockFrames, BlockFrames);
        long frames = 0;
        int read;
        while ((read = reader.Read(block)) > 0)
        {
            checker.Process(block.Slice(0, read));
            frames += read;
            progress?.Invoke(Math.Min(1.0, frames / (double)reader.Frames));
        }

        return checker.Finish();
    }

    /// <summary>[any thread] Checks audio in memory, judged as 32-bit float, for
    /// <paramref name="kinds"/> (null: every kind).</summary>
    public static CheckReport Check(AudioBlock block, int sampleRate, CheckProfile profile, IReadOnlyCollection<ProblemKind>? kinds = null)
    {
        using var checker = new ProblemChecker(profile, AudioFormat.InMemory(sampleRate, block.Channels), kinds);
        for (int start = 0; start < block.Frames; start += BlockFrames)
        {
            checker.Process(block.Slice(start, Math.Min(BlockFrames, block.Frames - start)));
        }

        return checker.Finish();
    }

    /// <summary>[any thread] The storage format as the format checks see it.</summary>
    public static AudioFormat FormatOf(AudioFileReader reader)
    {
        int subtype = reader.Format & SndFile.SubtypeMask;
        (int bits, bool isFloat, bool lossy) = subtype switch
        {
            0x0001 or 0x0005 => (8, false, false),
            SndFile.FormatPcm16 => (16, false, false),
            SndFile.FormatPcm24 => (24, false, false),
            SndFile.FormatPcm32 => (32, false, false),
            SndFile.FormatFloat => (32, true, false),
            SndFile.FormatDouble => (64, true, false),
            0x0070 => (16, false, false), // ALAC
            0x0071 => (20, false, false),
            0x0072 => (24, false, false),
            0x0073 => (32, false, false),
            _ => (0, false, true),
        };
        return new AudioFormat(reader.SampleRate, reader.Channels, bits, isFloat, lossy, reader.FormatName);
    }
}
