using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using MixMate.Assistant.Features;
using MixMate.Assistant.Models;
using MixMate.Assistant.Onnx;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;

namespace MixMate.Benchmarks;

/// <summary>
/// Model load and inference times of the assistant (goals: load ≤ 100 ms), the role front end for a
/// 10 s stereo track, and the whole role estimate of a 4-minute stereo stem (goal ≤ 100 ms on one
/// core: patches + model).
/// Run: dotnet run -c Release --project tests/MixMate.Benchmarks -- --filter '*ModelsBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ModelsBenchmarks
{
    private readonly float[] _features = new float[RolePatches.Count];
    private readonly float[] _probabilities = new float[15];
    private float[] _audio = [];
    private float[] _stem = [];
    private SuggestionEngine? _engine;
    private string _models = string.Empty;
    private OnnxSession? _role;
    private TonalProfile? _profile;

    [GlobalSetup]
    public void Setup()
    {
        string root = RepoRoot();
        _models = Path.Combine(root, "models");
        _role = OnnxSession.Load(Path.Combine(_models, RoleModel.RelativePath));
        var random = new Random(1);
        _audio = new float[2 * 441000];
        for (int i = 0; i < _audio.Length; i++)
        {
            _audio[i] = (float)((random.NextDouble() - 0.5) * 0.2 * (1 + Math.Sin(i * 0.001)));
        }

        RolePatches.Compute(new AudioBlock(_audio, 2), 44100, _features);
        _stem = new float[2 * 44100 * 240];
        for (int i = 0; i < _stem.Length / 2; i++)
        {
            double t = i / 44100.0;
            float v = (float)(0.3 * Math.Exp(-(t % 0.5) * 8) * Math.Sin(2 * Math.PI * 110 * t) * (1 + (0.1 * random.NextDouble())));
            _stem[i] = v;
            _stem[i + (_stem.Length / 2)] = v;
        }

        _engine = SuggestionEngine.Create(_models);
        _profile = TonalProfile.Measure(new AudioBlock(_audio, 2), 44100);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _role?.Dispose();
        _engine?.Dispose();
    }

    [Benchmark(Description = "load role model (checksum + session)")]
    public void LoadRoleModel()
    {
        using RoleModel model = RoleModel.Load(_models);
    }


    [Benchmark(Baseline = true, Description = "role inference")]
    public void RoleInference() => _role!.Run(_features, _probabilities);

    [Benchmark(Description = "tonal engine (fault finder + moves) on a measured profile")]
    public int TonalEngineSuggest() => TonalEngine.Suggest(_profile!, TonalReferences.ForRole("mix")).Moves.Count;

    [Benchmark(Description = "role of a 4-minute stereo stem (patches + model)")]
    public string? RoleOfFourMinuteStem() => _engine!.EstimateRole(new AudioBlock(_stem, 2), 44100).Role;

    [Benchmark(Description = "role patches, 10 s stereo")]
    public bool Features10Seconds() => RolePatches.Compute(new AudioBlock(_audio, 2), 44100, _features);

    private static string RepoRoot([CallerFilePath] string source = "")
    {
        for (DirectoryInfo? d = new FileInfo(source).Directory; d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "MixMate.sln")))
            {
                return d.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
