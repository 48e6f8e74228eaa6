using System.Runtime.CompilerServices;
using System.Text.Json;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;
using Xunit;

namespace MixMate.Cli.Tests;

public sealed class SuggestCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"mixmate-suggest-{Guid.NewGuid():N}");

    public SuggestCommandTests()
    {
        Directory.CreateDirectory(_dir);
    }

    private static string ModelsDirectory => Path.Combine(RepoRoot(), "models");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Json_reports_role_probabilities_and_eq_for_each_file_in_order()
    {
        string drums = Write("drums.wav", DrumLoop(2.0));
        string silence = Write("silence.wav", new float[44100]);
        string shortTone = Write("short.wav", Tone(440, 0.1));
        (int code, string stdout, string stderr) = Run(["--json", drums, silence, shortTone]);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(string.Empty, stderr);
        JsonElement[] items = [.. JsonDocument.Parse(stdout).RootElement.EnumerateArray()];
        Assert.Equal(3, items.Length);
        Assert.Equal(drums, items[0].GetProperty("path").GetString());

        JsonElement first = items[0];
        Assert.Equal(JsonValueKind.String, first.GetProperty("role").ValueKind);
        double sum = first.GetProperty("roles").EnumerateObject().Sum(p => p.Value.GetDouble());
        Assert.Equal(1.0, sum, 2);
        Assert.Equal(15, first.GetProperty("roles").EnumerateObject().Count());
        Assert.InRange(first.GetProperty("roleConfidence").GetDouble(), 1.0 / 15, 1.0);
        foreach (JsonElement move in first.GetProperty("eq").EnumerateArray())
        {
            Assert.Contains(move.GetProperty("type").GetString(), new[] { "peak", "lowShelf", "highShelf" });
            Assert.InRange(move.GetProperty("frequencyHz").GetDouble(), 20, 20000);
            Assert.InRange(Math.Abs(move.GetProperty("gainDb").GetDouble()), 0, 4.0001);
            Assert.True(move.GetProperty("q").GetDouble() > 0);
            Assert.False(string.IsNullOrWhiteSpace(move.GetProperty("reason").GetString()));
        }

        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("role").ValueKind);
        Assert.Contains("silent", items[1].GetProperty("roleReason").GetString());
        Assert.Equal(JsonValueKind.Null, items[2].GetProperty("role").ValueKind);
        Assert.Contains("too short", items[2].GetProperty("roleReason").GetString());
    }

    [Fact]
    public void Text_output_names_the_role_and_the_eq_source()
    {
        string drums = Write("drums.wav", DrumLoop(2.0));
        (int code, string stdout, _) = Run([drums]);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("role: ", stdout);
        Assert.Contains("tonal engine", stdout);
    }

    [Fact]
    public void A_corrupt_role_model_is_named_and_eq_still_comes()
    {
        string models = Path.Combine(_dir, "models");
        foreach (string file in Directory.GetFiles(ModelsDirectory, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(models, Path.GetRelativePath(ModelsDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.WriteAllBytes(Path.Combine(models, "role", "role.onnx"), [1, 2, 3]);
        string drums = Write("drums.wav", DrumLoop(2.0));
        (int code, string stdout, string stderr) = Run(["--json", drums], models);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("role model unavailable", stderr);
        Assert.Contains("checksum", stderr);
        JsonElement item = JsonDocument.Parse(stdout).RootElement[0];
        Assert.Equal("rule-based", item.GetProperty("eqSource").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("role").ValueKind);
        Assert.Equal("mix", item.GetProperty("tonalReference").GetString());
    }

    [Fact]
    public void An_unreadable_file_is_reported_and_the_others_still_processed()
    {
        string good = Write("tone.wav", Tone(220, 1.0));
        string bad = Path.Combine(_dir, "missing.wav");
        (int code, string stdout, string stderr) = Run(["--json", bad, good]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("missing.wav", stderr);
        Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray());
    }

    [Fact]
    public void No_files_is_a_usage_error()
    {
        var e = Assert.Throws<CliException>(() => Run(["--json"]));
        Assert.Equal(ExitCodes.BadInput, e.ExitCode);
    }

    private static (int Code, string Stdout, string Stderr) Run(string[] args, string? models = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SuggestCommand.Run(args, stdout, stderr, models ?? ModelsDirectory);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, float[] mono)
    {
        string path = Path.Combine(_dir, name);
        var buffer = new PlanarBuffer(1, mono.Length, 44100);
        mono.CopyTo(buffer[0]);
        buffer.Save(path, SampleFormat.Float32);
        return path;
    }

    private static float[] Tone(double hz, double seconds) =>
        [.. Enumerable.Range(0, (int)(seconds * 44100)).Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * hz * i / 44100)))];

    /// <summary>Synthetic kick (decaying 55 Hz sine) and noise-burst snare/hats, 120 bpm eighths.</summary>
    private static float[] DrumLoop(double seconds)
    {
        int n = (int)(seconds * 44100);
        float[] x = new float[n];
        var random = new Random(3);
        for (int step = 0; step * 0.25 < seconds; step++)
        {
            int start = (int)(step * 0.25 * 44100);
            for (int i = 0; i < 8000 && start + i < n; i++)
            {
                double t = i / 44100.0;
                double hat = (random.NextDouble() * 2 - 1) * Math.Exp(-t * 60) * 0.15;
                double kick = step % 4 == 0 ? Math.Sin(2 * Math.PI * 55 * t) * Math.Exp(-t * 12) * 0.8 : 0;
                double snare = step % 4 == 2 ? (random.NextDouble() * 2 - 1) * Math.Exp(-t * 25) * 0.5 : 0;
                x[start + i] += (float)(hat + kick + snare);
            }
        }

        return x;
    }

    private static string RepoRoot([CallerFilePath] string source = "")
    {
        for (DirectoryInfo? d = new FileInfo(source).Directory; d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "MixMate.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
