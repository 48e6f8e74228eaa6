using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests.Audio;

/// <summary>Every kind of unreadable input gives one <see cref="CliException"/> that names the file
/// and says what is wrong, with exit code 2.</summary>
public sealed class BadFileTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "missing", "no such file" },
        { "directory", "is a directory" },
        { "empty", "is empty" },
        { "garbage", "not a supported audio file" },
        { "text-with-unknown-extension", "not a supported audio file ('.xyz'" },
        { "truncated", "truncated" },
        { "header-claims-2^31-frames", "header declares 4294967294 bytes" },
        { "header-only", "truncated" },
        { "zero-channels", "channel" },
        { "zero-sample-rate", "sample rate" },
        { "absurd-sample-rate", "implausible sample rate of 7 Hz" },
        { "nan", "NaN at frame 100" },
        { "truncated-flac", "truncated or corrupt" },
        { "truncated-aiff", "truncated or corrupt: the header declares" },
        { "truncated-ogg", "truncated or corrupt" },
        { "truncated-mp3", "truncated: the file declares" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Opening_and_reading_fails_with_one_clear_line(string name, string expected)
    {
        string path = Make(name);

        var error = Assert.Throws<CliException>(() => PlanarBuffer.Load(path));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
    }

    [Fact]
    public void A_streamed_wav_with_unknown_length_marker_is_read_to_the_end_of_the_file()
    {
        // 0xFFFFFFFF in the data size is what streaming writers leave when they cannot seek back.
        string path = TestFolder.PathFor("streamed.wav");
        File.WriteAllBytes(path, TestAudio.HandMadeWav(2, 44100, 16, TestAudio.Pcm16Tone(2, 44100, 4410), declaredDataBytes: uint.MaxValue));

        PlanarBuffer buffer = PlanarBuffer.Load(path);

        Assert.Equal(4410, buffer.Frames);
    }

    [Fact]
    public void A_file_too_large_for_memory_is_refused_before_allocating()
    {
        // A sparse file: a valid header and 4 GiB of (unwritten) 16-bit mono data, 2^31 − 1 frames.
        string path = TestFolder.PathFor("huge-sparse.wav");
        const uint DataBytes = 0xFFFFFFFE;
        using (FileStream stream = File.Create(path))
        {
            stream.Write(TestAudio.HandMadeWav(1, 48000, 16, [], declaredDataBytes: DataBytes));
            stream.SetLength(44L + DataBytes);
        }

        try
        {
            using (AudioFileReader reader = AudioFileReader.Open(path))
            {
                Assert.Equal(DataBytes / 2, reader.Frames);
            }

            var error = Assert.Throws<CliException>(() => PlanarBuffer.Load(path));
            Assert.StartsWith(path + ": is too long to load", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Creates the broken input called <paramref name="name"/> and returns its path.</summary>
    internal static string Make(string name)
    {
        string folder = TestFolder.NewFolder("bad");
        string extension = name switch
        {
            "text-with-unknown-extension" => ".xyz",
            "truncated-flac" => ".flac",
            "truncated-aiff" => ".aiff",
            "truncated-ogg" => ".ogg",
            "truncated-mp3" => ".mp3",
            _ => ".wav",
        };
        string path = Path.Combine(folder, name + extension);
        byte[] tone = TestAudio.Pcm16Tone(2, 48000, 48000);
        switch (name)
        {
            case "missing":
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "garbage":
                byte[] noise = new byte[10_000];
                new Random(7).NextBytes(noise);
                File.WriteAllBytes(path, noise);
                break;
            case "text-with-unknown-extension":
                File.WriteAllText(path, "This is not audio.\n");
                break;
            case "truncated":
                File.WriteAllBytes(path, TestAudio.HandMadeWav(2, 48000, 16, tone)[..100_000]);
                break;
            case "header-claims-2^31-frames":
                File.WriteAllBytes(path, TestAudio.HandMadeWav(1, 48000, 16, tone.AsSpan(0, 20_000), declaredDataBytes: 0xFFFFFFFE));
                break;
            case "header-only":
                File.WriteAllBytes(path, TestAudio.HandMadeWav(2, 48000, 16, tone)[..44]);
                break;
            case "zero-channels":
                File.WriteAllBytes(path, TestAudio.HandMadeWav(0, 48000, 16, tone));
                break;
            case "zero-sample-rate":
                File.WriteAllBytes(path, TestAudio.HandMadeWav(2, 0, 16, tone));
                break;
            case "absurd-sample-rate":
                File.WriteAllBytes(path, TestAudio.HandMadeWav(2, 7, 16, tone));
                break;
            case "nan":
                File.WriteAllBytes(path, TestAudio.FloatWavWith(float.NaN, 100));
                break;
            case "truncated-flac":
                WriteHalf(path, TestAudio.Kind.Flac24);
                break;
            case "truncated-aiff":
                WriteHalf(path, TestAudio.Kind.Aiff24);
                break;
            case "truncated-ogg":
                WriteHalf(path, TestAudio.Kind.OggVorbis);
                break;
            case "truncated-mp3":
                WriteHalf(path, TestAudio.Kind.Mp3);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name));
        }

        return path;
    }

    /// <summary>Writes 5 s of noise as <paramref name="kind"/>, then cuts the file in half.</summary>
    private static void WriteHalf(string path, TestAudio.Kind kind)
    {
        TestAudio.Write(path, TestSignals.PinkNoise(-20, 5, 44100, 2, seed: 4), kind);
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
    }
}
