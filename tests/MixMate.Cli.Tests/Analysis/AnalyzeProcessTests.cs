using System.Text.Json;
using MixMate.Cli.Tests.Audio;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests.Analysis;

/// <summary>What a user sees when running the real executable: exit codes, one line per problem,
/// never a stack trace.</summary>
public sealed class AnalyzeProcessTests
{
    [Fact]
    public void Good_and_bad_files_exit_2_with_one_line_per_bad_file_and_no_stack_trace()
    {
        string good = TestAudio.Write(TestFolder.PathFor("process-good.wav"), TestSignals.PinkNoise(-20, 3, 48000, 2, seed: 9), TestAudio.Kind.WavPcm16);
        string[] bad = [BadFileTests.Make("truncated"), BadFileTests.Make("nan"), BadFileTests.Make("text-with-unknown-extension"), BadFileTests.Make("missing")];

        CliRunner.Result run = CliRunner.Process(["analyze", bad[0], good, bad[1], bad[2], bad[3], "--json"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(bad.Length, run.StderrLines.Length);
        for (int i = 0; i < bad.Length; i++)
        {
            Assert.StartsWith($"mixmate: {bad[i]}: ", run.StderrLines[i], StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(good, Assert.Single(json.RootElement.EnumerateArray()).GetProperty("path").GetString());
    }

    [Fact]
    public void All_good_files_exit_0_and_print_the_table()
    {
        string good = TestAudio.Write(TestFolder.PathFor("process-table.flac"), TestSignals.Sine(997, -12, 2, 44100, 2), TestAudio.Kind.Flac16);

        CliRunner.Result run = CliRunner.Process("analyze", good);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(string.Empty, run.Stderr);
        Assert.Contains(good, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("44100/2", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void No_files_is_a_usage_error()
    {
        CliRunner.Result run = CliRunner.Process("analyze");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("mixmate: analyze: no input files (usage: mixmate analyze FILE... [--json])", Assert.Single(run.StderrLines));
    }
}
