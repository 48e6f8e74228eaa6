using MixMate.Assistant.Onnx;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Assistant.Tests.Models;

public sealed class OnnxSessionTests
{
    private static string RoleOnnx => Path.Combine(RepoFiles.ModelsDirectory, "role", "role.onnx");

    [Fact]
    public void Loads_the_role_model_and_reports_its_signature()
    {
        using OnnxSession session = OnnxSession.Load(RoleOnnx);
        Assert.Equal("patches", session.InputName);
        Assert.Equal("probabilities", session.OutputName);
        Assert.Equal(MixMate.Assistant.Features.RolePatches.Count, session.InputLength);
        Assert.Equal(15, session.OutputLength);
        Assert.Matches(@"^1\.\d+\.\d+", session.RuntimeVersion);
    }

    [Fact]
    public void Reproduces_the_golden_outputs_exported_by_PyTorch()
    {
        // The input is made by the rule the exporter wrote down, so the pair tests the runtime alone.
        var golden = RepoFiles.Json("role/role_golden.json");
        Assert.Equal("x[i] = ((i * 7919) % 1000) / 250 - 3", golden.GetProperty("input_rule").GetString());
        using OnnxSession session = OnnxSession.Load(RoleOnnx);
        float[] input = new float[session.InputLength];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)((((long)i * 7919 % 1000) / 250.0) - 3.0);
        }

        float[] output = new float[session.OutputLength];
        session.Run(input, output);
        float[] expected = RepoFiles.Floats(golden.GetProperty("rule_output"));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - output[i]) < 1e-5, $"class {i}: {output[i]} vs {expected[i]}");
        }

        Assert.Equal(1.0, output.Sum(), 4);
    }

    [Fact]
    public void Run_does_not_allocate_after_warm_up()
    {
        using OnnxSession session = OnnxSession.Load(RoleOnnx);
        float[] input = new float[session.InputLength];
        float[] output = new float[session.OutputLength];
        long bytes = Allocations.Measure(() => session.Run(input, output), () => session.Run(input, output), 200);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void A_corrupt_file_raises_the_runtime_message()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mixmate-corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [0x08, 0x07, 0x12, 0xFF, 0x01, 0x02, 0x03, 0x99, 0x42]);
        try
        {
            var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(path));
            Assert.StartsWith("ONNX Runtime: ", e.Message);
            Assert.True(e.Message.Length > "ONNX Runtime: ".Length + 10, e.Message);
            Assert.NotEqual(0, e.ErrorCode);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_raises_the_runtime_message_with_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), "mixmate-does-not-exist.onnx");
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(path));
        Assert.Contains("mixmate-does-not-exist.onnx", e.Message);
        Assert.NotEqual(0, e.ErrorCode);
    }

    [Fact]
    public void Rejects_input_of_the_wrong_length()
    {
        using OnnxSession session = OnnxSession.Load(RoleOnnx);
        Assert.Throws<ArgumentException>(() => session.Run(new float[3], new float[session.OutputLength]));
    }

    [Fact]
    public void Run_after_dispose_throws()
    {
        OnnxSession session = OnnxSession.Load(RoleOnnx);
        session.Dispose();
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.Run(new float[session.InputLength], new float[session.OutputLength]));
    }
}
