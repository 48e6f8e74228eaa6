using MixMate.Assistant;
using MixMate.Assistant.Onnx;
using MixMate.Cli.CommandLine;

namespace MixMate.Cli;

/// <summary><c>mixmate --version</c>: the product version, the commit and the ONNX Runtime the
/// assistant's models run on.</summary>
internal static class VersionInfo
{
    /// <summary>[main-thread] Writes "mixmate 0.2.0 (commit abc…), ONNX Runtime 1.31.1"; exit code 0.</summary>
    public static int Print(TextWriter stdout)
    {
        string ort;
        try
        {
            ort = OnnxRuntimeLibrary.Version();
        }
        catch (OnnxRuntimeException e)
        {
            ort = "not loadable: " + e.Message;
        }

        stdout.WriteLine($"mixmate {ProductVersion.Version} (commit {ProductVersion.Commit}), ONNX Runtime {ort}");
        return ExitCodes.Ok;
    }
}
