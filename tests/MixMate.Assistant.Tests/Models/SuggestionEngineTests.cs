using MixMate.Assistant.Models;
using MixMate.Assistant.Roles;
using MixMate.Dsp;
using Xunit;

namespace MixMate.Assistant.Tests.Models;

public sealed class SuggestionEngineTests
{
    private static float[] Tone(double hz, double seconds, double amplitude = 0.3, int sampleRate = 44100) =>
        Enumerable.Range(0, (int)(seconds * sampleRate)).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / sampleRate))).ToArray();

    [Fact]
    public void Role_names_are_in_the_order_the_model_was_trained_with()
    {
        string[] trained = [.. RepoFiles.Json("role/role_golden.json").GetProperty("roles").EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
        Assert.Equal(TrackRoles.All, trained);
    }

    [Fact]
    public void Silence_gets_no_role_and_no_eq()
    {
        using SuggestionEngine engine = SuggestionEngine.Create(RepoFiles.ModelsDirectory);
        TrackSuggestion s = engine.Analyze(new AudioBlock(new float[44100 * 2], 1), 44100);
        Assert.Null(s.Role.Role);
        Assert.Contains("silent", s.Role.Reason);
        Assert.Empty(s.Eq);
    }

    [Fact]
    public void A_very_short_file_gets_no_role_with_the_reason()
    {
        using SuggestionEngine engine = SuggestionEngine.Create(RepoFiles.ModelsDirectory);
        TrackSuggestion s = engine.Analyze(new AudioBlock(Tone(220, 0.2), 1), 44100);
        Assert.Null(s.Role.Role);
        Assert.Contains("too short", s.Role.Reason);
    }

    [Fact]
    public void A_track_gets_a_role_with_probabilities_that_sum_to_one_and_bounded_moves()
    {
        using SuggestionEngine engine = SuggestionEngine.Create(RepoFiles.ModelsDirectory);
        TrackSuggestion s = engine.Analyze(new AudioBlock(RepoFiles.TestSignal(), 1), 44100);
        Assert.NotNull(s.Role.Role);
        Assert.Contains(s.Role.Role, TrackRoles.All);
        Assert.Equal(TrackRoles.All.Count, s.Role.Probabilities.Count);
        Assert.Equal(1.0, s.Role.Probabilities.Values.Sum(), 2);
        Assert.Equal(s.Role.Probabilities.Values.Max(), s.Role.Confidence, 4);
        Assert.Equal("rule-based", s.EqSource);
        Assert.InRange(s.Eq.Count, 0, 6);
        Assert.All(s.Eq, m =>
        {
            Assert.InRange(Math.Abs(m.GainDb), 0.0, 4.0 + 1e-9);
            Assert.False(string.IsNullOrWhiteSpace(m.Reason));
        });
    }

    [Theory]
    [InlineData(8.0)]
    [InlineData(0.3)]
    [InlineData(0.0)]
    public void A_streamed_track_gets_the_suggestion_of_the_track_in_memory(double seconds)
    {
        float[] signal = seconds > 0 ? RepoFiles.TestSignal(seconds: seconds) : new float[44100];
        using SuggestionEngine engine = SuggestionEngine.Create(RepoFiles.ModelsDirectory);
        TrackSuggestion whole = engine.Analyze(new AudioBlock(signal, 1), 44100);
        TrackSuggestion streamed = engine.Analyze(new Streaming.ChunkedSource(signal, 1, 44100, readFrames: 5000));
        Assert.Equal(whole.Role.Role, streamed.Role.Role);
        Assert.Equal(whole.Role.Confidence, streamed.Role.Confidence);
        Assert.Equal(whole.Role.Probabilities, streamed.Role.Probabilities);
        Assert.Equal(whole.Role.Explanation, streamed.Role.Explanation);
        Assert.Equal(whole.Eq, streamed.Eq);
        Assert.Equal(whole.EqSource, streamed.EqSource);
        Assert.Equal(whole.Notes, streamed.Notes);
    }

    [Fact]
    public void The_whole_path_reproduces_the_Python_golden_probabilities()
    {
        // Patches in C# from the shared signal, then the model: the chain training used.
        float[] expected = RepoFiles.Floats(RepoFiles.Json("role/role_golden.json").GetProperty("signal_output"));
        using SuggestionEngine engine = SuggestionEngine.Create(RepoFiles.ModelsDirectory);
        TrackSuggestion s = engine.Analyze(new AudioBlock(RepoFiles.TestSignal(seconds: 6.0), 1), 44100);
        for (int i = 0; i < expected.Length; i++)
        {
            // Probabilities are reported to 4 decimals; patches differ from Python by float rounding only.
            double actual = s.Role.Probabilities[TrackRoles.All[i]];
            Assert.True(Math.Abs(expected[i] - actual) < 1e-3, $"{TrackRoles.All[i]}: {actual} vs {expected[i]}");
        }
    }

    [Fact]
    public void Without_models_it_has_no_role_and_still_suggests_eq()
    {
        string empty = Path.Combine(Path.GetTempPath(), $"mixmate-nomodels-{Guid.NewGuid():N}");
        Directory.CreateDirectory(empty);
        try
        {
            using SuggestionEngine engine = SuggestionEngine.Create(empty);
            Assert.NotNull(engine.RoleModelProblem);
            TrackSuggestion s = engine.Analyze(new AudioBlock(RepoFiles.TestSignal(), 1), 44100);
            Assert.Null(s.Role.Role);
            Assert.Equal("rule-based", s.EqSource);
            Assert.Equal("mix", s.TonalReference);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
