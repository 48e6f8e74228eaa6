using System.Buffers.Binary;
using System.Diagnostics;
using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MixMate.Cli.Tests.Audio;

/// <summary>
/// A bounded fuzz run: a few hundred broken files generated from good WAV, W64, RF64, FLAC and AIFF
/// files (cut at random points, header bytes overwritten, chunk sizes set to 0, 1, 2^31−1,
/// 2^32−1, twice the file, random) each give exit 2 with one line naming the file, or a finite
/// result — never an internal error, a crash or a hang.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BrokenFileFuzzTests(ITestOutputHelper output)
{
    private const int Rate = 8000;
    private const int PerFileTimeoutSeconds = 20;

    private static readonly (string Name, int Format)[] s_bases =
    [
        ("pcm16.wav", SndFile.FormatWav | SndFile.FormatPcm16),
        ("float.wav", SndFile.FormatWav | SndFile.FormatFloat),
        ("pcm24.w64", SndFile.FormatW64 | SndFile.FormatPcm24),
        ("pcm16-rf64.wav", SndFile.FormatRf64 | SndFile.FormatPcm16),
        ("pcm16.flac", SndFile.FormatFlac | SndFile.FormatPcm16),
        ("pcm24.aiff", SndFile.FormatAiff | SndFile.FormatPcm24),
    ];

    [Fact]
    public async Task Every_broken_file_is_one_clear_error_or_a_finite_result()
    {
        string folder = TestFolder.NewFolder("fuzz");
        var random = new Random(1313);
        var files = new List<string>();
        foreach ((string name, int format) in s_bases)
        {
            byte[] good = File.ReadAllBytes(LengthAndRangeTests.WriteTone("fuzz-base-" + name, format, frames: Rate));
            foreach ((string label, byte[] bytes) in Mutations(good, name, random))
            {
                string path = Path.Combine(folder, $"{files.Count:000}-{label}-{name}");
                File.WriteAllBytes(path, bytes);
                files.Add(path);
            }
        }

        Assert.InRange(files.Count, 200, 1000);
        var clock = Stopwatch.StartNew();
        int refused = 0;
        foreach (string path in files)
        {
            CliRunner.Result run;
            try
            {
                run = await Task.Run(() => CliRunner.Analyze(path)).WaitAsync(TimeSpan.FromSeconds(PerFileTimeoutSeconds));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{path}: no answer within {PerFileTimeoutSeconds} s");
                throw;
            }
            catch (Exception e)
            {
                Assert.Fail($"{path}: internal error {e.GetType().Name}: {e.Message}");
                throw;
            }

            if (run.ExitCode == 2)
            {
                refused++;
                string line = Assert.Single(run.StderrLines);
                Assert.StartsWith($"mixmate: {path}: ", line, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(run.ExitCode == 0, $"{path}: {run}");
                Assert.Contains(Path.GetFileName(path), run.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("NaN", run.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("∞", run.Stdout, StringComparison.Ordinal);
            }
        }

        output.WriteLine($"{files.Count} broken files, {refused} refused with one line, {files.Count - refused} read; {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>About 45 broken variants of one good file.</summary>
    private static IEnumerable<(string Label, byte[] Bytes)> Mutations(byte[] good, string name, Random random)
    {
        for (int i = 0; i < 15; i++)
        {
            yield return ("cut", good[..random.Next(0, good.Length)]);
        }

        for (int i = 0; i < 15; i++)
        {
            byte[] copy = (byte[])good.Clone();
            int count = random.Next(1, 4);
            for (int k = 0; k < count; k++)
            {
                copy[random.Next(0, Math.Min(copy.Length, 128))] = (byte)random.Next(256);
            }

            yield return ("header", copy);
        }

        ulong[] sizes = [0, 1, int.MaxValue, uint.MaxValue, (ulong)good.Length * 2, (ulong)random.Next()];
        foreach ((int offset, int width, bool bigEndian) in SizeFields(good, name))
        {
            foreach (ulong size in sizes)
            {
                byte[] copy = (byte[])good.Clone();
                Span<byte> field = copy.AsSpan(offset, width);
                if (width == 3)
                {
                    field[0] = (byte)(size >> 16);
                    field[1] = (byte)(size >> 8);
                    field[2] = (byte)size;
                }
                else if (width == 8)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(field, size);
                }
                else if (bigEndian)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(field, (uint)size);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)size);
                }

                yield return ("size", copy);
            }
        }
    }

    /// <summary>Where a container keeps its chunk and stream sizes.</summary>
    private static IEnumerable<(int Offset, int Width, bool BigEndian)> SizeFields(byte[] file, string name)
    {
        if (name.EndsWith(".w64", StringComparison.Ordinal))
        {
            // Chunks: 16-byte GUID then a 64-bit little-endian size, 8-byte aligned.
            for (int at = 0; at + 24 <= file.Length && at < 4096;)
            {
                yield return (at + 16, 8, false);
                long size = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(at + 16));
                at = at == 0 ? 40 : at + (int)((size + 7) & ~7L);
                if (size < 24)
                {
                    break;
                }
            }

            yield break;
        }

        if (name.EndsWith(".flac", StringComparison.Ordinal))
        {
            yield return (4 + 1, 3, true);   // STREAMINFO block length (24 bits)
            yield return (8 + 14, 4, true);  // total samples (low 32 bits)
            yield return (8 + 6, 4, true);   // max frame size and sample-rate bits
            yield break;
        }

        bool aiff = name.EndsWith(".aiff", StringComparison.Ordinal);
        string[] ids = aiff ? ["FORM", "COMM", "SSND"] : ["RIFF", "RF64", "fmt ", "data", "ds64"];
        foreach (string id in ids)
        {
            int at = file.AsSpan(0, Math.Min(file.Length, 4096)).IndexOf(System.Text.Encoding.ASCII.GetBytes(id));
            if (at >= 0 && at + 8 <= file.Length)
            {
                yield return (at + 4, 4, aiff);
                if (id == "ds64" && at + 32 <= file.Length)
                {
                    yield return (at + 8, 8, false);  // RIFF size
                    yield return (at + 16, 8, false); // data size
                    yield return (at + 24, 8, false); // sample count
                }
            }
        }
    }
}
