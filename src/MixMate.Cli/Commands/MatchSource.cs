using System.Globalization;
using MixMate.Assistant.Reference;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;

namespace MixMate.Cli.Commands;

/// <summary>
/// What <c>--reference REF</c> or <c>--target-curve style.json</c> names: a reference file,
/// loaded and measured on a worker thread while the input is read, or a style target. A bad
/// reference (unreadable, shorter than <see cref="MinReferenceSeconds"/>, silent, or with another
/// channel count than the input) is refused with one line naming it.
/// </summary>
internal sealed class MatchSource
{
    /// <summary>Shortest reference, seconds: a long-term spectrum and a loudness range need a while of programme.</summary>
    public const double MinReferenceSeconds = 10;

    private readonly Task<ProgrammeProfile>? _reference;
    private readonly StyleTarget? _style;

    private MatchSource(string path, Task<ProgrammeProfile>? reference, StyleTarget? style)
    {
        Path = path;
        _reference = reference;
        _style = style;
    }

    /// <summary>The file as the user named it.</summary>
    public string Path { get; }

    /// <summary>reference or target.</summary>
    public string Kind => _reference is null ? "target" : "reference";

    /// <summary>[main-thread] Starts loading and measuring the reference at <paramref name="path"/>.</summary>
    public static MatchSource FromReference(string path) => new(path, Task.Run(() => Measure(path)), null);

    /// <summary>[main-thread] Reads the style target at <paramref name="path"/>.</summary>
    /// <exception cref="CliException">Unreadable or not a valid target.</exception>
    public static MatchSource FromTarget(string path) => new(path, null, LoadStyle(path));

    /// <summary>[any-thread] Reads a style target file.</summary>
    /// <exception cref="CliException">Unreadable or not a valid target (exit 2, naming the file).</exception>
    public static StyleTarget LoadStyle(string path)
    {
        string json;
        if (!File.Exists(path) && ShippedTargets.Find(path) is string shipped)
        {
            // A bare name (band, speech, ...) names a target that ships with MixMate.
            return LoadStyle(shipped);
        }

        try
        {
            json = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            IReadOnlyList<string> names = ShippedTargets.Names();
            throw CliException.ForFile(path, names.Count == 0 ? "does not exist" : $"does not exist and is not a shipped target ({string.Join(", ", names)})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.ForFile(path, $"cannot be read ({e.Message.TrimEnd('.')})");
        }

        try
        {
            return StyleTarget.Parse(json);
        }
        catch (FormatException e)
        {
            throw CliException.ForFile(path, e.Message);
        }
    }

    /// <summary>[main-thread] The target to match for an input of <paramref name="inputChannels"/> channels
    /// (waits for the reference's measurement).</summary>
    /// <exception cref="CliException">The reference is bad (see the class summary).</exception>
    public MatchTarget Resolve(int inputChannels)
    {
        if (_style is not null)
        {
            return _style.Target;
        }

        ProgrammeProfile profile = Reference!;
        if (profile.Channels != inputChannels)
        {
            throw CliException.ForFile(Path, string.Create(CultureInfo.InvariantCulture,
                $"has {profile.Channels} channel{(profile.Channels == 1 ? string.Empty : "s")} but the input has {inputChannels}; a reference must have the input's channel count"));
        }

        return MatchTarget.FromReference(profile);
    }

    /// <summary>[main-thread] The reference's measurements (waits for them); null for a style target.</summary>
    public ProgrammeProfile? Reference => _reference?.GetAwaiter().GetResult();

    /// <summary>[any-thread] Loads and measures a reference file, refusing bad ones.</summary>
    /// <exception cref="CliException">Unreadable, too short or silent.</exception>
    public static ProgrammeProfile Measure(string path)
    {
        PlanarBuffer buffer = PlanarBuffer.Load(path);
        if (buffer.DurationSeconds < MinReferenceSeconds)
        {
            throw CliException.ForFile(path, string.Create(CultureInfo.InvariantCulture,
                $"is {buffer.DurationSeconds:0.0} s long; a reference needs at least {MinReferenceSeconds:0} s of programme"));
        }

        ProgrammeProfile profile = ProgrammeAnalyzer.Measure(buffer.Samples, buffer.Channels, buffer.Frames, buffer.SampleRate, path);
        if (!double.IsFinite(profile.IntegratedLufs))
        {
            throw CliException.ForFile(path, "is digital silence (or entirely below the −70 LUFS gate); a reference needs programme to match");
        }

        return profile;
    }
}
