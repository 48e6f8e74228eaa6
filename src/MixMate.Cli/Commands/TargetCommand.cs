using System.Globalization;
using MixMate.Assistant.Reference;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;

namespace MixMate.Cli.Commands;

/// <summary>
/// <c>mixmate target build REF... -o style.json</c>: averages references into a style target
/// (tonal curve with its spread, loudness, loudness range, width) that <c>master</c>,
/// <c>suggest</c> and <c>mix</c> take with <c>--target-curve</c> and the plug-in can load.
/// </summary>
internal static class TargetCommand
{
    private const string Help = """
        Usage: mixmate target build REF... -o STYLE.json [--name NAME] [--force] [--quiet]

        Builds a style target from one or more references (any format and rate MixMate reads, each
        at least 10 s, all with the same channel count): their tonal curves averaged as shapes
        (each at its own median level, 45 Hz-17 kHz) with the spread per third-octave band, and
        their mean integrated loudness, loudness range, true peak and width. Use it with
        'mixmate master IN -o OUT --target-curve STYLE.json', with 'suggest' and 'mix', or load it
        in the MixMate plug-in.

        Options:
          -o, --output FILE   the target (JSON); refuses to overwrite without --force
          --name NAME         the target's name (default: the output's file name without .json)
          --force             overwrite FILE if it exists
          --quiet             print nothing but errors

        Exit codes: 0 done, 2 bad input (a reference unreadable, too short, silent or with another
        channel count; nothing is written).
        """;

    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            Console.Out.WriteLine(Help);
            return args.Count == 0 ? ExitCodes.BadInput : ExitCodes.Ok;
        }

        if (args[0] != "build")
        {
            throw new CliException($"target: unknown subcommand '{args[0]}' (target build REF... -o STYLE.json)");
        }

        var reader = new ArgReader("target build", args.Skip(1).ToList());
        if (reader.Flag("-h", "--help"))
        {
            Console.Out.WriteLine(Help);
            return ExitCodes.Ok;
        }

        string? output = reader.Option("-o", "--output");
        string? name = reader.Option("--name");
        bool force = reader.Flag("--force");
        bool quiet = reader.Flag("--quiet", "-q");
        IReadOnlyList<string> references = reader.Positionals();
        if (references.Count == 0)
        {
            throw new CliException("target build: no reference files (see 'mixmate target --help')");
        }

        if (output is null)
        {
            throw new CliException("target build: -o STYLE.json is required");
        }

        AtomicFile.CheckDestination(output, [.. references], force);
        var profiles = new List<ProgrammeProfile>();
        foreach (string reference in references)
        {
            ProgrammeProfile profile = MatchSource.Measure(reference);
            if (profiles.Count > 0 && profile.Channels != profiles[0].Channels)
            {
                throw CliException.ForFile(reference, string.Create(CultureInfo.InvariantCulture,
                    $"has {profile.Channels} channel(s) but {profiles[0].Name} has {profiles[0].Channels}; the references of a target must have one channel count"));
            }

            profiles.Add(profile);
        }

        string targetName = name ?? Path.GetFileNameWithoutExtension(output);
        StyleTarget target = StyleTarget.Build(targetName, profiles);
        using (AtomicFile.Batch batch = AtomicFile.BeginBatch())
        {
            AtomicFile.WriteText(output, target.ToJson());
            batch.Commit();
        }

        if (!quiet)
        {
            MatchTarget t = target.Target;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target     {targetName}: {profiles.Count} reference(s), {t.IntegratedLufs:0.0} LUFS, LRA {t.LoudnessRangeLu:0.0} LU, width {(t.WidthDb is double w ? w.ToString("0.0", CultureInfo.InvariantCulture) + " dB" : "mono")}"));
            Console.Out.WriteLine($"written    {output}");
        }

        return ExitCodes.Ok;
    }
}
