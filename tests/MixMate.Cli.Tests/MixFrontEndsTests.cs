using System.Text.Json;
using MixMate.Assistant.Balance;
using MixMate.Cli.Commands;
using MixMate.Cli.Tests.Support;
using MixMate.Plugin.Session;
using Xunit;

namespace MixMate.Cli.Tests.Mix;

/// <summary>
/// One planner, two front ends: the stems <c>mixmate mix</c> balances and the in-DAW session gets
/// the same moves from the same summaries — gains, cuts and reasons.
/// </summary>
public sealed class MixFrontEndsTests
{
    private const double Rate = 48000;

    [Fact]
    public void The_session_and_mix_make_the_same_moves_on_the_same_stems()
    {
        string folder = TestFolder.NewFolder("mix-front-ends");
        string kick = TestAudio.WriteWav(Path.Combine(folder, "kick.wav"), TestSignals.Bursts(55, Rate, 2, (-6, 0.15), (-90, 0.35), (-6, 0.15), (-90, 0.35), (-6, 0.15), (-90, 0.35), (-6, 0.15), (-90, 0.35)));
        string bass = TestAudio.WriteWav(Path.Combine(folder, "bass.wav"), TestSignals.Sine(60, -14, 2, Rate, channels: 1));
        string noise = TestAudio.WriteWav(Path.Combine(folder, "noise.wav"), TestSignals.PinkNoise(-26, 2, Rate, 2, seed: 5));
        string copy = TestAudio.WriteWav(Path.Combine(folder, "noise copy.wav"), TestSignals.PinkNoise(-26, 2, Rate, 2, seed: 5).Gain(-4));
        string[] stems = [kick, bass, noise, copy];
        string report = Path.Combine(folder, "mix.json");

        // The CLI end to end: what it applied, as its report says.
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, MixCommand.Run([.. stems, "-o", Path.Combine(folder, "mix.wav"), "--report", report, "--quiet"], stdout, stderr, modelsDirectory: null));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement[] tracks = [.. json.RootElement.GetProperty("tracks").EnumerateArray()];

        // The session, handed the summaries of the same stems.
        TrackSummary[] summaries = MixCommand.Summarize(stems, modelsDirectory: null);
        IReadOnlyList<Suggestion> session = MixSession.SuggestionsFor(summaries, generation: 1, MixCommand.BalanceTable(modelsDirectory: null, notes: null));

        Assert.Equal(stems.Length, session.Count);
        bool anyCut = false;
        for (int i = 0; i < stems.Length; i++)
        {
            JsonElement t = tracks[i];
            Suggestion s = session[i];
            Assert.Equal(Math.Round(s.GainDb, 2), t.GetProperty("balanceMoveDb").GetDouble(), 6);
            Assert.Equal(
                t.GetProperty("balanceMoveDb").GetDouble() + json.RootElement.GetProperty("headroomDb").GetDouble(),
                t.GetProperty("gainDb").GetDouble(), 1);
            JsonElement[] eq = [.. t.GetProperty("eq").EnumerateArray()];
            Assert.Equal(s.Eq.Count, eq.Length);
            for (int k = 0; k < eq.Length; k++)
            {
                Assert.Equal(Assistant.Eq.FilterNames.Json(s.Eq[k].Type), eq[k].GetProperty("type").GetString());
                Assert.Equal(Math.Round(s.Eq[k].FrequencyHz, 1), eq[k].GetProperty("frequencyHz").GetDouble(), 6);
                Assert.Equal(Math.Round(s.Eq[k].GainDb, 2), eq[k].GetProperty("gainDb").GetDouble(), 6);
                anyCut = true;
            }

            Assert.Equal(s.Reasons, [.. t.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)]);
        }

        // The case is not trivial: something was cut, and the copied stem was recognised.
        Assert.True(anyCut, "no stem got a cut");
        Assert.Contains(json.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("noise copy.wav", StringComparison.Ordinal));
        Assert.Contains(session[3].Reasons, r => r.StartsWith("warning: ", StringComparison.Ordinal));
    }
}
