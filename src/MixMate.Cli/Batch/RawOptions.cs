using System.Globalization;
using System.Text.Json;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Problems;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;

namespace MixMate.Cli.Batch;

/// <summary>
/// The options of a batch as given — on the command line (the options of <c>mixmate master</c> or
/// <c>check</c>) or in a manifest line (the same names in camelCase: <c>target</c>, <c>lufs</c>,
/// <c>tp</c>, <c>eq</c>, <c>amount</c>, <c>bitDepth</c>, <c>format</c>, <c>sampleRate</c>,
/// <c>compressor</c>, <c>profile</c>) — and their resolution into <see cref="BatchOptions"/>, with
/// the checks and messages of the single-file commands.
/// </summary>
internal sealed record RawOptions(string? Target, double? Lufs, double? Tp, string? Eq, double? Amount, string? BitDepth, string? Format,
    double? SampleRate, bool? Compressor, string? Profile)
{
    /// <summary>The keys a manifest line may hold besides input and output.</summary>
    public static readonly string[] ManifestKeys = ["target", "lufs", "tp", "eq", "amount", "bitDepth", "format", "sampleRate", "compressor", "profile"];

    /// <summary>No options.</summary>
    public static RawOptions None { get; } = new(null, null, null, null, null, null, null, null, null, null);

    /// <summary>[main-thread] Takes the command's options from the batch's arguments.</summary>
    public static RawOptions FromArgs(ArgReader reader, BatchVerb verb)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return verb switch
        {
            BatchVerb.Master => new RawOptions(
                reader.Option("--target"),
                reader.Number("--lufs", double.MinValue, double.MaxValue),
                reader.Number("--tp", double.MinValue, double.MaxValue),
                reader.Choice("--eq", "off", "suggest", "apply"),
                reader.Number("--amount", 0, 100),
                reader.Choice("--bit-depth", "16", "24", "32f"),
                reader.Option("--format"),
                reader.Number("--sample-rate", 8000, 384000),
                reader.Flag("--compressor") ? true : null,
                null),
            BatchVerb.Check => None with { Profile = reader.Choice("--profile", [.. CheckProfile.All.Select(p => p.Name)]) },
            _ => None,
        };
    }

    /// <summary>[any-thread] The options of one manifest line (<paramref name="where"/> names it in messages).</summary>
    /// <exception cref="CliException">A value of the wrong type.</exception>
    public static RawOptions FromManifest(JsonElement line, string where)
    {
        string? Text(string name) => line.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText()
                : throw new CliException($"{where}: \"{name}\" must be a string")
            : null;
        double? Number(string name)
        {
            if (!line.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d))
            {
                return d;
            }

            if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d) && double.IsFinite(d))
            {
                return d;
            }

            throw new CliException($"{where}: \"{name}\" must be a number");
        }

        bool? compressor = null;
        if (line.TryGetProperty("compressor", out JsonElement c) && c.ValueKind != JsonValueKind.Null)
        {
            compressor = c.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new CliException($"{where}: \"compressor\" must be true or false"),
            };
        }

        return new RawOptions(Text("target"), Number("lufs"), Number("tp"), Text("eq"), Number("amount"), Text("bitDepth"), Text("format"),
            Number("sampleRate"), compressor, Text("profile"));
    }

    /// <summary>[any-thread] These options over <paramref name="baseline"/> (a manifest line over the
    /// command line): every option given here wins; a target (preset or loudness) replaces both.</summary>
    public RawOptions Over(RawOptions baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        bool ownTarget = Target is not null || Lufs is not null;
        return new RawOptions(
            ownTarget ? Target : baseline.Target,
            ownTarget ? Lufs : baseline.Lufs,
            Tp ?? baseline.Tp,
            Eq ?? baseline.Eq,
            Amount ?? baseline.Amount,
            BitDepth ?? baseline.BitDepth,
            Format ?? baseline.Format,
            SampleRate ?? baseline.SampleRate,
            Compressor ?? baseline.Compressor,
            Profile ?? baseline.Profile);
    }

    /// <summary>[any-thread] Resolves and checks the options for <paramref name="verb"/>;
    /// <paramref name="output"/> (a manifest's, or null) may name the container by its extension.</summary>
    /// <exception cref="CliException">An option that does not apply, or a bad value (the single-file commands' messages).</exception>
    public BatchOptions Resolve(BatchVerb verb, string? output, string where)
    {
        switch (verb)
        {
            case BatchVerb.Master:
            {
                if (Profile is not null)
                {
                    throw new CliException($"{where}: profile is an option of batch check, not of batch master");
                }

                LoudnessTarget target = MasterCommand.ResolveTarget(Target, Lufs, Tp);
                string eq = Eq ?? "suggest";
                if (eq is not ("off" or "suggest" or "apply"))
                {
                    throw new CliException($"{where}: eq must be one of off, suggest, apply, got '{eq}'");
                }

                double amount = Amount ?? 100;
                if (amount is < 0 or > 100)
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{where}: amount {amount} is out of range (0 to 100)"));
                }

                string bitDepth = BitDepth ?? "24";
                if (bitDepth is not ("16" or "24" or "32f"))
                {
                    throw new CliException($"{where}: bitDepth must be one of 16, 24, 32f, got '{bitDepth}'");
                }

                FileFormat container = output is not null && Path.GetExtension(output).Length > 0
                    ? FileFormats.Resolve("batch", output, Format)
                    : FileFormats.Resolve("batch", "x." + (Format ?? "wav"), Format);
                if (SampleRate is double rate && rate is < 8000 or > 384000)
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{where}: sampleRate {rate} is out of range (8000 to 384000)"));
                }

                _ = FileFormats.LibsndfileFormat(output ?? where, container, MasterCommand.ParseBitDepth(bitDepth), 2);
                return new BatchOptions
                {
                    Target = target.Preset,
                    Lufs = target.Lufs,
                    Tp = target.TruePeakDbtp,
                    Eq = eq,
                    Amount = amount,
                    BitDepth = FileFormats.IsLossy(container) ? "32f" : bitDepth,
                    Format = FileFormats.Name(container),
                    SampleRate = SampleRate is double r ? (int)Math.Round(r) : null,
                    Compressor = Compressor ?? false,
                };
            }

            case BatchVerb.Check:
            {
                if (this with { Profile = null } != None)
                {
                    throw new CliException($"{where}: batch check takes only profile");
                }

                string profile = Profile ?? CheckProfile.Streaming.Name;
                return CheckProfile.Find(profile) is CheckProfile found
                    ? new BatchOptions { Profile = found.Name }
                    : throw new CliException($"{where}: profile must be one of {string.Join(", ", CheckProfile.All.Select(p => p.Name))}, got '{profile}'");
            }

            default:
                return this == None ? new BatchOptions() : throw new CliException($"{where}: batch analyze takes no options");
        }
    }
}
