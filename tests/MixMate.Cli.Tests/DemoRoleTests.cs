using System.Diagnostics;
using MixMate.Assistant.Models;
using MixMate.Assistant.Roles;
using MixMate.Cli.Audio;
using MixMate.Cli.Demo;
using MixMate.Cli.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MixMate.Cli.Tests.Demo;

/// <summary>
/// The first thing a new user sees: the demo's own stems must be heard for what they are, at
/// every sample rate a session may run at. The demo is rendered at 48 kHz; sox (a test package)
/// converts it to the other rates with its high-quality resampler.
/// </summary>
public sealed class DemoRoleTests(ITestOutputHelper output)
{
    private static readonly Lazy<DemoRender> s_render = new(() => DemoSong.EnsureRendered());

    public static TheoryData<string, string> Stems => new()
    {
        { "drums", "drums" },
        { "bass", "bass" },
        { "keys", "keys" },
        // The demo's lead is a flute (GM 73): a woodwind, brass_winds in the role table.
        { "lead", "brass_winds" },
    };

    [Theory]
    [MemberData(nameof(Stems))]
    public void A_demo_stem_is_heard_as_its_role_at_every_sample_rate(string stem, string role)
    {
        string source = s_render.Value.Stems.Single(s => s.Name == stem).Path;
        string folder = TestFolder.NewFolder("demo-roles-" + stem);
        using SuggestionEngine engine = SuggestionEngine.Create();
        Assert.Null(engine.RoleModelProblem);
        foreach (int rate in new[] { 22050, 44100, 48000, 96000 })
        {
            string path = rate == 48000 ? source : Path.Combine(folder, $"{stem}-{rate}.wav");
            if (rate != 48000)
            {
                Resample(source, path, rate);
            }

            PlanarBuffer audio = PlanarBuffer.Load(path);
            Assert.Equal(rate, audio.SampleRate);
            RoleEstimate estimate = engine.EstimateRole(audio.Block, audio.SampleRate);
            output.WriteLine($"{stem} at {rate} Hz: {estimate.Role} {estimate.Confidence:P0}");
            Assert.Equal(role, estimate.Role);
        }
    }

    private static void Resample(string input, string outputPath, int rate)
    {
        var start = new ProcessStartInfo("sox") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { input, "-b", "32", "-e", "floating-point", outputPath, "rate", "-v", rate.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("sox did not start; install sox.");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"sox failed: {error}");
    }
}
