using MixMate.Assistant.Onnx;
using MixMate.Assistant.Roles;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Models;

/// <summary>
/// The learned EQ model (<c>models/eq/eq.onnx</c>): a track's third-octave long-term spectrum
/// (<see cref="LongTermSpectrum.ThirdOctaveDb"/>, absolute dB) and its role in, the correction
/// curve back to a natural balance out (dB per band, level-free over 50 Hz–16 kHz). The graph
/// does its own normalisation; the only convention shared with training is that an empty band
/// (−∞ dB) is passed as <see cref="EmptyBandDb"/>.
/// </summary>
public sealed class EqModel : IDisposable
{
    /// <summary>Path of the model inside the models folder.</summary>
    public const string RelativePath = "eq/eq.onnx";

    /// <summary>Stand-in for an empty band, as in <c>models/eq/train_eq.py</c>.</summary>
    public const float EmptyBandDb = -200f;

    private static readonly int InputCount = ThirdOctaveBands.Count + TrackRoles.All.Count;

    private readonly OnnxSession _session;
    private readonly float[] _input = new float[InputCount];
    private readonly float[] _output = new float[ThirdOctaveBands.Count];

    private EqModel(OnnxSession session) => _session = session;

    /// <summary>
    /// [any thread but the audio thread] Loads the model after checking its checksum; throws
    /// <see cref="InvalidDataException"/> or <see cref="OnnxRuntimeException"/> with the reason.
    /// </summary>
    public static EqModel Load(string modelsDirectory)
    {
        string? problem = ModelFiles.Verify(modelsDirectory, RelativePath);
        if (problem is not null)
        {
            throw new InvalidDataException(problem);
        }

        OnnxSession session = OnnxSession.Load(Path.Combine(modelsDirectory, RelativePath));
        if (session.InputLength != InputCount || session.OutputLength != ThirdOctaveBands.Count)
        {
            int input = session.InputLength;
            int output = session.OutputLength;
            session.Dispose();
            throw new InvalidDataException($"EQ model has {input} inputs/{output} outputs, expected {InputCount}/{ThirdOctaveBands.Count}");
        }

        return new EqModel(session);
    }

    /// <summary>[one analysis thread at a time] Correction in dB per band for a track with
    /// <paramref name="bandsDb"/> (31 values, −∞ allowed) playing role <paramref name="roleIndex"/>.</summary>
    public void PredictCorrection(ReadOnlySpan<double> bandsDb, int roleIndex, Span<double> correctionDb)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(roleIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(roleIndex, TrackRoles.All.Count);
        int n = ThirdOctaveBands.Count;
        for (int b = 0; b < n; b++)
        {
            _input[b] = double.IsFinite(bandsDb[b]) ? (float)Math.Max(bandsDb[b], EmptyBandDb) : EmptyBandDb;
        }

        Array.Clear(_input, n, TrackRoles.All.Count);
        _input[n + roleIndex] = 1f;
        _session.Run(_input, _output);
        for (int b = 0; b < n; b++)
        {
            correctionDb[b] = _output[b];
        }
    }

    /// <summary>[any thread] Releases the session.</summary>
    public void Dispose() => _session.Dispose();
}
