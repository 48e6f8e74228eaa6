using System.Globalization;
using MixMate.Assistant.Features;
using MixMate.Assistant.Onnx;
using MixMate.Assistant.Roles;
using MixMate.Assistant.Streaming;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Models;

/// <summary>
/// The assistant's ears: detects a track's role and suggests EQ moves. The role comes from the
/// learned role model when it loads and matches its checksum (otherwise the role is null with the
/// reason); the EQ from the tonal engine (<see cref="TonalEngine"/>: the fault finder against the
/// reference for the track's kind — its role's, speech's, or the mix's). Creating it never throws
/// for a model problem; <see cref="RoleModelProblem"/> tells what went wrong. Not for the audio
/// thread; one <see cref="Analyze(AudioBlock, double, string?)"/> at a time.
/// </summary>
public sealed class SuggestionEngine : IDisposable
{
    /// <summary>Shorter tracks get no role: the role model needs a few frames to mean anything.</summary>
    public const double MinimumSeconds = 0.5;

    private readonly RoleModel? _roleModel;
    private readonly float[] _patches = new float[RolePatches.Count];
    private readonly float[] _probabilities = new float[TrackRoles.All.Count];

    private SuggestionEngine(RoleModel? roleModel, string? roleProblem)
    {
        _roleModel = roleModel;
        RoleModelProblem = roleProblem;
    }

    /// <summary>Why the role model is not in use, or null when it is.</summary>
    public string? RoleModelProblem { get; }

    /// <summary>
    /// [any thread but the audio thread] Loads the role model from <paramref name="modelsDirectory"/>
    /// (default: <see cref="ModelFiles.FindDirectory"/>). Problems are recorded, not thrown.
    /// </summary>
    public static SuggestionEngine Create(string? modelsDirectory = null)
    {
        string? directory = modelsDirectory ?? ModelFiles.FindDirectory();
        if (directory is null)
        {
            return new SuggestionEngine(null, "models folder not found (set MIXMATE_MODELS_DIR)");
        }

        RoleModel? role = TryLoad(() => RoleModel.Load(directory), out string? roleProblem);
        return new SuggestionEngine(role, roleProblem);
    }

    /// <summary>[one analysis thread at a time] Role and EQ suggestions for one track;
    /// <paramref name="userRole"/> (one of <see cref="TrackRoles.All"/>, or null) is the role the user
    /// set, which the EQ then follows (<see cref="RoleEstimate.SetByUser"/>).</summary>
    public TrackSuggestion Analyze(AudioBlock audio, double sampleRate, string? userRole = null)
    {
        RoleEstimate role = EstimateRole(audio, sampleRate, out bool silent);
        if (silent)
        {
            return Suggest(role, silent, null, null, userRole);
        }

        var speech = new SpeechDetector(sampleRate);
        speech.Add(audio);
        return Suggest(role, silent, TonalProfile.Measure(audio, sampleRate), speech, userRole);
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
        var speech = new SpeechDetector(sampleRate);
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
            speech.Add(piece);
            frames += read;
        }

        double seconds = frames / sampleRate;
        bool silent = source.Channels == 0 || frames == 0 || plan.Starts() is null;
        RoleEstimate role = silent
            ? Silent()
            : seconds < MinimumSeconds
                ? TooShort(seconds)
                : RolePatches.Compute(plan, source, frames, _patches) ? PredictRole() : Silent();
        return Suggest(role, silent, TonalProfile.FromSpectrum(spectrum), speech, userRole);
    }

    private static TrackSuggestion Suggest(RoleEstimate role, bool silent, TonalProfile? profile, SpeechDetector? speechDetector, string? userRole)
    {
        var notes = new List<string>();
        if (userRole is not null)
        {
            role = RoleEstimate.SetByUser(userRole, role);
        }

        if (silent || profile is null)
        {
            return new TrackSuggestion(role, [], "none", notes) { BandsDb = profile?.ThirdOctaveDb ?? [] };
        }

        // Speech is checked unless the role is an instrument's; the reference follows the kind.
        SpeechVerdict? speech = role.Role is null or "vocal" or "mix" ? speechDetector?.Decide(profile) : null;
        TonalReference reference = speech is { IsSpeech: true } ? TonalReferences.ForProgramme(speech: true) : TonalReferences.ForRole(role.Role);
        if (speech is { IsSpeech: true })
        {
            notes.Add($"judged as speech ({speech.Reason})");
        }

        TonalSuggestion tonal = TonalEngine.Suggest(profile, reference);
        return new TrackSuggestion(role, tonal.Moves, "rule-based", notes)
        {
            BandsDb = profile.ThirdOctaveDb,
            TonalReference = tonal.Reference,
            ReferenceBandsDb = tonal.ReferenceBandsDb,
            Speech = speech,
        };
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
}
