using MixMate.Assistant.Models;
using MixMate.Assistant.Onnx;
using Xunit;

namespace MixMate.Assistant.Tests.Models;

public sealed class EqModelTests
{
    [Fact]
    public void Reproduces_the_golden_outputs_exported_by_PyTorch()
    {
        var golden = RepoFiles.Json("eq/eq_golden.json");
        using OnnxSession session = OnnxSession.Load(Path.Combine(RepoFiles.ModelsDirectory, EqModel.RelativePath));
        float[] output = new float[session.OutputLength];
        var inputs = golden.GetProperty("inputs").EnumerateArray().ToArray();
        var outputs = golden.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.NotEmpty(inputs);
        for (int r = 0; r < inputs.Length; r++)
        {
            session.Run(RepoFiles.Floats(inputs[r]), output);
            float[] expected = RepoFiles.Floats(outputs[r]);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - output[i]) < 1e-3, $"row {r} band {i}: {output[i]} vs {expected[i]}");
            }
        }
    }

    [Fact]
    public void Empty_bands_and_role_reach_the_model_as_in_training()
    {
        var golden = RepoFiles.Json("eq/eq_golden.json");
        float[] input = RepoFiles.Floats(golden.GetProperty("inputs")[0]);
        float[] expected = RepoFiles.Floats(golden.GetProperty("outputs")[0]);
        double[] bands = new double[31];
        for (int b = 0; b < 31; b++)
        {
            bands[b] = input[b] <= EqModel.EmptyBandDb ? double.NegativeInfinity : input[b];
        }

        int role = Array.IndexOf(input[31..], 1f);
        Assert.InRange(role, 0, 14);
        using EqModel model = EqModel.Load(RepoFiles.ModelsDirectory);
        double[] correction = new double[31];
        model.PredictCorrection(bands, role, correction);
        for (int b = 0; b < 31; b++)
        {
            Assert.Equal(expected[b], correction[b], 3);
        }
    }
}
