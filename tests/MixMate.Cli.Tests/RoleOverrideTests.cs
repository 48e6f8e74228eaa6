using System.Text.Json;
using MixMate.Assistant.Balance;
using MixMate.Assistant.Roles;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;
using MixMate.Cli.Tests.Support;
using Xunit;

namespace MixMate.Cli.Tests;

/// <summary><c>--role FILE=ROLE</c> on <c>mix</c> and <c>suggest</c>, and <c>roleReason</c>.</summary>
public sealed class RoleOverrideTests
{
    private const double Rate = 48000;

    [Fact]
    public void Mix_role_override_changes_the_reported_role_and_the_gain()
    {
        string folder = TestFolder.NewFolder("mix-role");
        string noise = TestAudio.WriteWav(Path.Combine(folder, "noise.wav"), TestSignals.PinkNoise(-20, 3, Rate, 2, seed: 3));
        string tone = TestAudio.WriteWav(Path.Combine(folder, "tone.wav"), TestSignals.Sine(220, -12, 3, Rate, channels: 1));
        JsonElement[] heard = MixTracks(folder, "heard.json", noise, tone);

        // Both set, so the expected balance is exact whatever the model hears: the difference of
        // the two moves is the difference of the targets less the difference of the loudness.
        JsonElement[] set = MixTracks(folder, "set.json", noise, tone, "--role", $"{tone}=vocal", "--role", $"{noise}=PAD");
        Assert.Equal("pad", set[0].GetProperty("role").GetString());
        Assert.Equal("vocal", set[1].GetProperty("role").GetString());
        foreach (JsonElement t in set)
        {
            Assert.Equal("user", t.GetProperty("roleSource").GetString());
            Assert.Equal(1.0, t.GetProperty("roleConfidence").GetDouble());
            Assert.StartsWith("set by the user (the model heard ", t.GetProperty("roleReason").GetString());
            Assert.Contains("set by the user", t.GetProperty("reasons")[0].GetString());
        }

        RoleBalanceTable table = MixCommand.BalanceTable(modelsDirectory: null, notes: null);
        // Both play all the time, so the table's activity terms shift both targets alike.
        Assert.Equal(table.TargetOf("vocal") - table.TargetOf("pad"),
            set[1].GetProperty("targetLu").GetDouble() - set[0].GetProperty("targetLu").GetDouble(), 1);
        double expected = (table.TargetOf("vocal") - Lufs(set[1])) - (table.TargetOf("pad") - Lufs(set[0]));
        double moved = set[1].GetProperty("balanceDb").GetDouble() - set[0].GetProperty("balanceDb").GetDouble();
        Assert.Equal(expected, moved, 1);
        double before = heard[1].GetProperty("gainDb").GetDouble() - heard[0].GetProperty("gainDb").GetDouble();
        double after = set[1].GetProperty("gainDb").GetDouble() - set[0].GetProperty("gainDb").GetDouble();
        Assert.True(Math.Abs(after - before) > 1, $"tone relative to noise: {before:0.00} dB as heard, {after:0.00} dB set");

        // As heard: the model's evidence, not the user's.
        foreach (JsonElement t in heard)
        {
            Assert.Equal("model", t.GetProperty("roleSource").GetString());
            Assert.Matches("^(confident|likely|unsure): the role model hears ", t.GetProperty("roleReason").GetString());
        }

        // One stem given with another spelling of its path still matches.
        JsonElement[] relative = MixTracks(folder, "rel.json", noise, tone, "--role", Path.Combine(folder, ".", "tone.wav") + "=keys");
        Assert.Equal("keys", relative[1].GetProperty("role").GetString());
        Assert.Equal("model", relative[0].GetProperty("roleSource").GetString());
    }

    [Theory]
    [InlineData("mix")]
    [InlineData("suggest")]
    public void A_bad_override_is_one_error_line_and_exit_2(string command)
    {
        string folder = TestFolder.NewFolder("role-bad-" + command);
        string tone = TestAudio.WriteWav(Path.Combine(folder, "tone.wav"), TestSignals.Sine(220, -12, 1, Rate, channels: 1));
        string output = Path.Combine(folder, "mix.wav");
        string[] tail = command == "mix" ? ["-o", output] : ["--json"];

        CliRunner.Result unknownRole = CliRunner.Process([command, tone, "--role", tone + "=bassline", .. tail]);
        Assert.Equal(2, unknownRole.ExitCode);
        string line = Assert.Single(unknownRole.StderrLines);
        Assert.Contains("unknown role 'bassline'", line);
        Assert.Contains(string.Join(", ", TrackRoles.All), line);
        Assert.Equal(string.Empty, unknownRole.Stdout.Trim());

        string other = Path.Combine(folder, "other.wav");
        CliRunner.Result notInput = CliRunner.Process([command, tone, "--role", other + "=bass", .. tail]);
        Assert.Equal(2, notInput.ExitCode);
        line = Assert.Single(notInput.StderrLines);
        Assert.Contains("other.wav is not among the inputs", line);

        CliRunner.Result noRole = CliRunner.Process([command, tone, "--role", tone, .. tail]);
        Assert.Equal(2, noRole.ExitCode);
        Assert.Contains("FILE=ROLE", Assert.Single(noRole.StderrLines));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Two_roles_for_one_input_are_refused()
    {
        CliException e = Assert.Throws<CliException>(() => RoleOverrides.Parse("mix", ["a.wav=bass", "./a.wav=keys"], ["a.wav", "b.wav"]));
        Assert.Equal(ExitCodes.BadInput, e.ExitCode);
        Assert.Contains("both bass and keys", e.Message);
        string?[] roles = RoleOverrides.Parse("mix", ["b.wav=Bass", "b.wav=bass"], ["a.wav", "b.wav"]);
        Assert.Null(roles[0]);
        Assert.Equal("bass", roles[1]);
    }

    [Fact]
    public void Suggest_override_sets_the_role_the_eq_follows_and_keeps_what_the_model_heard()
    {
        string folder = TestFolder.NewFolder("suggest-role");
        string tone = TestAudio.WriteWav(Path.Combine(folder, "tone.wav"), TestSignals.Sine(220, -12, 2, Rate, channels: 1));
        string noise = TestAudio.WriteWav(Path.Combine(folder, "noise.wav"), TestSignals.PinkNoise(-20, 2, Rate, 1, seed: 5));
        CliRunner.Result heard = CliRunner.Process("suggest", "--json", tone, noise);
        Assert.Equal(0, heard.ExitCode);
        JsonElement h = JsonDocument.Parse(heard.Stdout).RootElement[0];
        string heardRole = h.GetProperty("role").GetString()!;
        string chosen = heardRole == "strings" ? "kick" : "strings";

        CliRunner.Result set = CliRunner.Process("suggest", "--json", tone, noise, "--role", $"{tone}={chosen}");
        Assert.Equal(0, set.ExitCode);
        JsonElement[] items = [.. JsonDocument.Parse(set.Stdout).RootElement.EnumerateArray()];
        Assert.Equal(chosen, items[0].GetProperty("role").GetString());
        Assert.Equal("user", items[0].GetProperty("roleSource").GetString());
        Assert.Equal(1.0, items[0].GetProperty("roles").GetProperty(chosen).GetDouble());
        Assert.Equal(15, items[0].GetProperty("roles").EnumerateObject().Count());
        double heardP = h.GetProperty("roleConfidence").GetDouble();
        Assert.Equal($"set by the user (the model heard {heardRole} {Math.Round(heardP * 100):0} %)", items[0].GetProperty("roleReason").GetString());
        // The EQ is judged against the chosen role's reference (the pooled track reference for a role without its own).
        Assert.Equal(MixMate.Assistant.Tonal.TonalReferences.ForRole(chosen).Name, items[0].GetProperty("tonalReference").GetString());

        // The other file is untouched: same role, its reason the model's evidence.
        Assert.Equal(JsonDocument.Parse(heard.Stdout).RootElement[1].GetProperty("role").GetString(), items[1].GetProperty("role").GetString());
        Assert.Equal("model", items[1].GetProperty("roleSource").GetString());
        Assert.False(string.IsNullOrEmpty(items[1].GetProperty("roleReason").GetString()));
    }

    private static double Lufs(JsonElement track) => track.GetProperty("activeLoudnessLufs").GetDouble();

    private static JsonElement[] MixTracks(string folder, string reportName, params string[] args)
    {
        string output = Path.Combine(folder, Path.ChangeExtension(reportName, ".wav"));
        string report = Path.Combine(folder, reportName);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = MixCommand.Run([.. args, "-o", output, "--report", report, "--quiet"], stdout, stderr, modelsDirectory: null);
        Assert.Equal(0, exit);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        return [.. json.RootElement.GetProperty("tracks").EnumerateArray().Select(t => t.Clone())];
    }
}
