using System.Runtime.CompilerServices;
using System.Text.Json;

namespace MixMate.Assistant.Tests.Models;

/// <summary>Locates the repository's models folder from this source file, so the tests work
/// whatever artifacts path the build used. ONNX Runtime comes with the NuGet package.</summary>
internal static class RepoFiles
{
    private static readonly Lazy<string> Root = new(() => FindRoot());

    public static string ModelsDirectory => Path.Combine(Root.Value, "models");

    public static JsonElement Json(string relativePath)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelsDirectory, relativePath)));
        return doc.RootElement.Clone();
    }

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    /// <summary>The deterministic signal of models/features.py test_signal(): same LCG, same formula.</summary>
    public static float[] TestSignal(int sampleRate = 44100, double seconds = 2.0)
    {
        int n = (int)(sampleRate * seconds);
        float[] x = new float[n];
        long state = 12345;
        for (int i = 0; i < n; i++)
        {
            state = ((state * 1103515245) + 12345) & 0x7FFFFFFF;
            double noise = (state / 2147483647.0 * 2.0) - 1.0;
            double t = (double)i / sampleRate;
            double env = 0.5 + (0.5 * Math.Sin(2.0 * Math.PI * 1.5 * t));
            double v = (0.3 * Math.Sin(2.0 * Math.PI * 110.0 * t)) + (0.2 * env * Math.Sin(2.0 * Math.PI * 2500.0 * t)) + (0.05 * noise);
            if (t is >= 0.8 and < 1.0)
            {
                v *= 0.001;
            }

            x[i] = (float)v;
        }

        return x;
    }

    private static string FindRoot([CallerFilePath] string source = "")
    {
        for (DirectoryInfo? d = new FileInfo(source).Directory; d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "MixMate.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found from " + source);
    }
}
