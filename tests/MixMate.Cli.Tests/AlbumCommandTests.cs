using System.Text.Json;
using MixMate.Cli.Audio;
using MixMate.Cli.Tests.Support;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary>
/// <c>mixmate master --album</c>: one gain for the album, the tracks' relative loudness kept (measured
/// on the written files by libebur128), true peaks under the ceiling, limited tracks reported with
/// how far they moved, a JSON and an HTML report per track and for the album.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AlbumCommandTests
{
    private static string[] Tracks(string folder, params double[] rmsDbfs)
    {
        var paths = new string[rmsDbfs.Length];
        for (int i = 0; i < rmsDbfs.Length; i++)
        {
            // Different lengths and spectra, as an album's tracks have.
            PlanarBuffer audio = TestSignals.PinkNoise(rmsDbfs[i], 4 + i, 44100, 2, seed: 70 + i);
            paths[i] = Path.Combine(folder, $"{i + 1:00} track.wav");
            AudioFileWriter.WriteAll(paths[i], audio.Block, 44100, SampleFormat.Pcm24);
        }

        return paths;
    }

    private static double Ebur128Integrated(string path) => Ebur128Reference.Measure(path).IntegratedLufs;

    [Fact]
    public void OneGainForTheAlbumKeepsTheTracksRelativeLoudnessWithinATenthOfALu()
    {
        string folder = TestFolder.NewFolder("album");
        string[] tracks = Tracks(folder, -34, -28, -31);
        string outDir = Path.Combine(folder, "out");

        CliRunner.Result run = CliRunner.Process(["master", "--album", .. tracks, "--out", outDir, "--lufs", "-18"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument album = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "album.json")));
        JsonElement root = album.RootElement;
        Assert.Equal(-18, root.GetProperty("outputLufs").GetDouble(), 0.1);
        Assert.All(root.GetProperty("tracks").EnumerateArray(), t => Assert.False(t.GetProperty("limited").GetBoolean()));

        double[] before = [.. tracks.Select(Ebur128Integrated)];
        double[] after = [.. tracks.Select(t => Ebur128Integrated(Path.Combine(outDir, Path.GetFileNameWithoutExtension(t) + ".wav")))];
        for (int i = 0; i < tracks.Length; i++)
        {
            for (int j = i + 1; j < tracks.Length; j++)
            {
                Assert.Equal(before[i] - before[j], after[i] - after[j], 0.1);
            }

            Assert.Equal(root.GetProperty("gainDb").GetDouble(), after[i] - before[i], 0.1);
            Assert.True(File.Exists(Path.Combine(outDir, Path.GetFileNameWithoutExtension(tracks[i]) + ".json")));
            HtmlPage.Load(Path.Combine(outDir, Path.GetFileNameWithoutExtension(tracks[i]) + ".html"));
        }

        HtmlPage page = HtmlPage.Load(Path.Combine(outDir, "album.html"));
        using JsonDocument island = page.DataIsland();
        Assert.Equal(root.GetProperty("gainDb").GetDouble(), island.RootElement.GetProperty("gainDb").GetDouble());
        Assert.Equal(3 * 3 + 2, Directory.GetFiles(outDir).Length);
    }

    [Fact]
    public void ATrackThatNeedsLimitingStaysUnderTheCeilingAndTheReportSaysHowFarItMoved()
    {
        string folder = TestFolder.NewFolder("album-limit");
        string[] tracks = Tracks(folder, -25, -15, -25, -25);
        string outDir = Path.Combine(folder, "out");

        CliRunner.Result run = CliRunner.Process(["master", "--album", .. tracks, "--out", outDir, "--lufs", "-10", "--quiet"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument album = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "album.json")));
        JsonElement[] rows = [.. album.RootElement.GetProperty("tracks").EnumerateArray()];
        Assert.True(rows[1].GetProperty("limited").GetBoolean());
        Assert.True(rows[1].GetProperty("movedLu").GetDouble() < -0.05);
        Assert.False(rows[0].GetProperty("limited").GetBoolean());
        Assert.Equal(0, rows[0].GetProperty("movedLu").GetDouble(), 0.05);
        Assert.All(rows, r => Assert.True(r.GetProperty("truePeakDbtp").GetDouble() <= -1.0));
        Assert.Contains(run.StderrLines, l => l.Contains(tracks[1], StringComparison.Ordinal) && l.Contains("moved", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnreadableTrackStopsTheAlbumAndNothingIsWritten()
    {
        string folder = TestFolder.NewFolder("album-bad");
        string[] tracks = Tracks(folder, -20, -22);
        string broken = Path.Combine(folder, "broken.wav");
        File.WriteAllText(broken, "not audio");
        string outDir = Path.Combine(folder, "out");

        CliRunner.Result run = CliRunner.Process(["master", "--album", tracks[0], broken, tracks[1], "--out", outDir]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("mixmate: " + broken + ":", run.StderrLines[0], StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(outDir));
        Assert.Equal(2, CliRunner.Process(["master", "--album", .. tracks, "--out", outDir, "--eq", "apply"]).ExitCode);
    }
}
