using MixMate.Assistant.Features;
using MixMate.Assistant.Onnx;
using MixMate.Assistant.Roles;

namespace MixMate.Assistant.Models;

/// <summary>
/// The learned role classifier (<c>models/role/role.onnx</c>): a track's <see cref="RolePatches"/>
/// in, one calibrated probability per <see cref="TrackRoles.All"/> out. The patches are pooled
/// (mean log-probability) and the temperature applied inside the graph.
/// </summary>
public sealed class RoleModel : IDisposable
{
    /// <summary>Path of the model inside the models folder.</summary>
    public const string RelativePath = "role/role.onnx";

    private readonly OnnxSession _session;

    private RoleModel(OnnxSession session) => _session = session;

    /// <summary>
    /// [any thread but the audio thread] Loads the model after checking its checksum. Throws
    /// <see cref="InvalidDataException"/> when the file is missing or does not match, and
    /// <see cref="OnnxRuntimeException"/> when the runtime cannot load it.
    /// </summary>
    public static RoleModel Load(string modelsDirectory)
    {
        string? problem = ModelFiles.Verify(modelsDirectory, RelativePath);
        if (problem is not null)
        {
            throw new InvalidDataException(problem);
        }

        OnnxSession session = OnnxSession.Load(Path.Combine(modelsDirectory, RelativePath));
        if (session.InputLength != RolePatches.Count || session.OutputLength != TrackRoles.All.Count)
        {
            int input = session.InputLength;
            int output = session.OutputLength;
            session.Dispose();
            throw new InvalidDataException($"role model has {input} inputs/{output} outputs, expected {RolePatches.Count}/{TrackRoles.All.Count}");
        }

        return new RoleModel(session);
    }

    /// <summary>[any thread but the audio thread] Probabilities (one per role) for the features.</summary>
    public void Predict(ReadOnlySpan<float> patches, Span<float> probabilities) => _session.Run(patches, probabilities);

    /// <summary>[any thread] Releases the session.</summary>
    public void Dispose() => _session.Dispose();
}
