using System.Globalization;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Features;
using MixMate.Assistant.Onnx;
using MixMate.Assistant.Roles;
using MixMate.Assistant.Streaming;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Models;

/// <summary>
/// The assistant's ears: detects a track's role and suggests EQ moves. Uses the learned models when
/// they load and match their checksums; otherwise says so and falls back — no role (null with the
/// reason) and the rule-based tonal balance against the full-mix reference for EQ. Creating it
/// never throws for a model problem; <see cref="RoleModelProblem"/> / <see cref="EqModelProblem"/>
/// tell what went wrong. Not for the audio thread; one <see cref="Analyze(AudioBlock, double, string?)"/> at a time.
/// </summary>
public sealed class SuggestionEngine : IDisposable
{
    /// <summary>Shorter tracks get no role: the role model needs a few frames to mean anything.</summary>
    public const double MinimumSeconds = 0.5;

    private const int MaxBands = 6;
    private const double MaxGainDb = 4;

    private readonly RoleModel? _roleModel;
    private readonly EqModel? _eqModel;
    private readonly float[] _patches = new float[RolePatches.Count];
    private readonly float[] _probabilities = new float[TrackRoles.All.Count];

    private SuggestionEngine(RoleModel? roleModel, string? roleProblem, EqModel? eqModel, string? eqProblem)
    {
        _roleModel = roleModel;
        _eqModel = eqModel;
        RoleModelProblem = roleProblem;
        EqModelProblem = eqProblem;
    }

    /// <summary>Why the role model is not in use, or null when it is.</summary>
    public string? RoleModelProblem { get; }

    /// <summary>Why the EQ model is not in use, or null when it is.</summary>
    public string? EqModelProblem { get; }

    /// <summary>
    /// [any thread but the audio thread] Loads the models from <paramref name="modelsDirectory"/>
    /// (default: <see cref="ModelFiles.FindDirectory"/>). Problems are recorded, not thrown.
    /// </summary>
    public static SuggestionEngine Create(string? modelsDirectory = null)
    {
        string? directory = modelsDirectory ?? ModelFiles.FindDirectory();
        if (directory is null)
        {
            const string Missing = "models folder not found (set MIXMATE_MODELS_DIR)";
            return new SuggestionEngine(null, Missing, null, Missing);
        }

        RoleModel? role = TryLoad(() => RoleModel.Load(directory), out string? roleProblem);
        EqModel? eq = TryLoad(() => EqModel.Load(directory), out string? eqProblem);
        return new SuggestionEngine(role, roleProblem, eq, eqProblem);
    }

    /// <summary>[one analysis thread at a time] Role and EQ suggestions for one track;
    /// <paramref name="userRole"/> (one of <see cref="TrackRoles.All"/>, or null) is the role the user
    /// set, which the EQ then follows (<see cref="RoleEstimate.SetByUser"/>).</summary>
    public TrackSuggestion Analyze(AudioBlock audio, double sampleRate, string? userRole = null)
    {
        RoleEstimate role = EstimateRole(audio, sampleRate, out bool silent);
        return Suggest(role, silent, silent ? [] : TonalBalance.MeasureBands(audio, sampleRate), sampleRate, userRole);
    }

    /// <summary>[one analysis thread at a time] <see cref="Analyze(AudioBlock, double, string?)"/>
    /// on a track streamed in two passes (the role plan and the spectrum on the first, the few
    /// seconds the patches need on the second), so memory does not grow with the track beyond
    /// 8 bytes per 23 ms: the same suggestion as on the whole track in memory.</summary>
    public TrackSuggestion Analyze(IAudioSource source, string? userRole = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        double sampleRate = source.SampleRate;
        var plan = new RolePatchPlan(sampleRate);
        LongTermSpectrum spectrum = TonalBalance.CreateBandMeter(sampleRate, source.Channels, source.Frames);
        const int Step = 16384;
        var samples = new float[Step * source.Channels];
        var block = new AudioBlock(samples, source.Channels, Step, Step);
        long frames = 0;
        source.Rewind();
        int read;
        while ((read = source.Read(block)) > 0)
        {
            AudioBlock piece = block.Slice(0, read);
            plan.Add(piece);
            spectrum.Process(piece);
            frames += read;
        }

        double seconds = frames / sampleRate;
        bool silent = source.Channels == 0 || frames == 0 || plan.Starts() is null;
        RoleEstimate role = silent
            ? Silent()
            : seconds < MinimumSeconds
                ? TooShort(seconds)
                : RolePatches.Compute(plan, source, frames, _patches) ? PredictRole() : Silent();
        return Suggest(role, silent, TonalBalance.Bands(spectrum), sampleRate, userRole);
    }

    private TrackSuggestion Suggest(RoleEstimate role, bool silent, double[] bands, double sampleRate, string? userRole)
    {
        var notes = new List<string>();
        if (userRole is not null)
        {
            role = RoleEstimate.SetByUser(userRole, role);
        }

        if (silent)
        {
            return new TrackSuggestion(role, [], "none", notes) { BandsDb = bands };
        }

        if (role.Role is not null && _eqModel is not null)
        {
            return new TrackSuggestion(role, LearnedMoves(bands, role.Role, sampleRate), "model", notes) { BandsDb = bands };
        }

        if (_eqModel is null)
        {
            notes.Add($"learned EQ model not used ({EqModelProblem}); EQ falls back to the rule-based tonal balance");
        }
        else
        {
            notes.Add("no role, so EQ uses the rule-based tonal balance");
        }

        TonalSuggestion rule = TonalBalance.Suggest(bands, TonalTarget.FullMix, sampleRate, MaxBands, MaxGainDb);
        return new TrackSuggestion(role, rule.Moves, "rule-based", notes) { BandsDb = bands };
    }

    /// <summary>
    /// [one analysis thread at a time] The role of one track: the same estimate as
    /// <c>Analyze(audio, sampleRate).Role</c>, without measuring the spectrum or asking the EQ
    /// model (what a caller that only needs the role, like the mix balance, should pay).
    /// </summary>
    public RoleEstimate EstimateRole(AudioBlock audio, double sampleRate) => EstimateRole(audio, sampleRate, out _);

    /// <summary>[any thread] Releases the models.</summary>
    public void Dispose()
    {
        _roleModel?.Dispose();
        _eqModel?.Dispose();
    }

    private static T? TryLoad<T>(Func<T> load, out string? problem)
        where T : class
    {
        try
        {
            problem = null;
            return load();
        }
        catch (Exception e) when (e is InvalidDataException or OnnxRuntimeException or IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return null;
        }
    }

    private RoleEstimate EstimateRole(AudioBlock audio, double sampleRate, out bool silent)
    {
        double seconds = audio.Frames / sampleRate;
        silent = audio.Channels == 0 || !RolePatches.Compute(audio, sampleRate, _patches);
        if (silent)
        {
            return Silent();
        }

        return seconds < MinimumSeconds ? TooShort(seconds) : PredictRole();
    }

    private static RoleEstimate Silent() => new(null, 0, new Dictionary<string, double>(), "the track is silent (digital silence)");

    private static RoleEstimate TooShort(double seconds) => new(null, 0, new Dictionary<string, double>(),
        string.Create(CultureInfo.InvariantCulture, $"the track is too short to judge ({seconds:0.###} s; at least {MinimumSeconds} s needed)"));

    private RoleEstimate PredictRole()
    {
        if (_roleModel is null)
        {
            return new RoleEstimate(null, 0, new Dictionary<string, double>(), $"role model not used ({RoleModelProblem}); no rule-based role detection exists");
        }

        _roleModel.Predict(_patches, _probabilities);
        var probabilities = new Dictionary<string, double>(TrackRoles.All.Count);
        int best = 0;
        for (int i = 0; i < _probabilities.Length; i++)
        {
            probabilities[TrackRoles.All[i]] = Math.Round(_probabilities[i], 4);
            if (_probabilities[i] > _probabilities[best])
            {
                best = i;
            }
        }

        return new RoleEstimate(TrackRoles.All[best], Math.Round(_probabilities[best], 4), probabilities, null);
    }

    private List<EqMove> LearnedMoves(double[] bands, string role, double sampleRate)
    {
        int n = ThirdOctaveBands.Count;
        var correction = new double[n];
        _eqModel!.PredictCorrection(bands, TrackRoles.IndexOf(role), correction);

        // Same band weighting as the rule-based path: only bands that carry programme, full weight
        // 50 Hz–16 kHz.
        double loudest = bands.Where(double.IsFinite).DefaultIfEmpty(double.NegativeInfinity).Max();
        var weights = new double[n];
        var deviation = new double[n];
        for (int b = 0; b < n; b++)
        {
            double fc = ThirdOctaveBands.Centre(b);
            bool present = double.IsFinite(bands[b]) && bands[b] > loudest - 60 && ThirdOctaveBands.UpperEdge(b) < sampleRate / 2;
            weights[b] = !present ? 0 : fc is >= 45 and <= 17000 ? 1 : 0.25;
            correction[b] = weights[b] > 0 ? correction[b] : 0;
            deviation[b] = -correction[b];
        }

        IReadOnlyList<EqCurveFitter.FittedBand> fitted = EqCurveFitter.Fit(correction, weights, MaxBands, MaxGainDb);
        return [.. fitted.Select(f => TonalBalance.ToMove(f, deviation, $"learned natural-balance ({role})"))];
    }
}
