using MixMate.Cli.CommandLine;

namespace MixMate.Cli;

/// <summary>Entry point of <c>mixmate</c>: dispatches to one command class per verb.</summary>
internal static class Program
{
    private const string Usage = """
        mixmate — AI-assisted mixing and mastering

        Usage:
          mixmate analyze FILE... [--json] [--html FILE]
              Loudness per ITU-R BS.1770-4 / EBU R128: integrated, range, true peak, ...
          mixmate master IN -o OUT [--target PRESET | --lufs X --tp Y] [--eq off|suggest|apply]
                         [--amount 0..100] [--bit-depth 16|24|32f] [--report FILE.json]
                         [--html FILE] [--force] [--reference REF | --target-curve STYLE.json]
                         [--match tone,loudness,width,dynamics]
              Master a file to a loudness target without exceeding the true-peak ceiling.
          mixmate suggest FILE... [--json] [--html FILE] [--role FILE=ROLE]...
              Detect each track's role and suggest EQ moves, each with its reason.
          mixmate mix STEM... -o OUT [--master PRESET] [--amount N] [--report FILE.json]
                      [--html FILE] [--role STEM=ROLE]... [--force]
              Balance stems by role, unmask competing tracks, sum with headroom, optionally master.
          mixmate check FILE... [--json] [--html FILE] [--profile streaming|cd|broadcast|podcast]
                        [--fail-on warning|error]
              Find what is wrong: clipping, overs, DC, polarity, hum, clicks, silence, loudness, ...
          mixmate batch master|analyze|check INPUT... --out DIR [command options] [--jobs N]
                        [--shard I/N] [--resume] [--manifest FILE.jsonl] [--html FILE]
              Run a command over a catalogue in one process; results in DIR/results.jsonl.
          mixmate master --album IN... --out DIR [--target PRESET | --lufs X --tp Y]
              Master an album with one gain: the tracks keep their relative loudness.
          mixmate target build REF... -o STYLE.json [--name NAME]
              Average references into a style target (tonal curve, loudness, range, width) for
              master/suggest/mix --target-curve and the plug-in.
          mixmate demo [--out DIR] [--force] [--render-only]
              Render the built-in demo song, master it and print before/after figures.

        Run 'mixmate COMMAND --help' for a command's options; 'mixmate --version' for the version.
        Exit codes: 0 ok, 1 internal error, 2 bad input (arguments or files), 4 check --fail-on matched.
        """;

    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.WriteLine(Usage);
            return args.Length == 0 ? ExitCodes.BadInput : ExitCodes.Ok;
        }

        if (args[0] is "--version" or "-V" or "version")
        {
            return VersionInfo.Print(Console.Out);
        }

        Output.AtomicFile.RemoveTemporariesOnInterrupt();
        string command = args[0];
        string[] rest = args[1..];
        try
        {
            return command switch
            {
                "analyze" => Commands.AnalyzeCommand.Run(rest),
                "master" => Commands.MasterCommand.Run(rest),
                "suggest" => Commands.SuggestCommand.Run(rest),
                "mix" => Commands.MixCommand.Run(rest),
                "demo" => Commands.DemoCommand.Run(rest),
                "check" => Commands.CheckCommand.Run(rest),
                "batch" => Batch.BatchCommand.Run(rest),
                "target" => Commands.TargetCommand.Run(rest),
                _ => throw new CliException($"unknown command '{command}' (commands: analyze, master, suggest, mix, check, batch, target, demo)"),
            };
        }
        catch (Exception) when (Output.AtomicFile.Interrupted)
        {
            // The work failed because a signal is removing its files: the signal thread prints the
            // one line and exits with 130 or 143; do not race it with an error of our own.
            Thread.Sleep(10_000);
            return 130;
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"mixmate: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"mixmate: internal error: {e.Message}");
            if (Environment.GetEnvironmentVariable("MIXMATE_DEBUG") is not null)
            {
                Console.Error.WriteLine(e);
            }

            return ExitCodes.InternalError;
        }
    }
}
