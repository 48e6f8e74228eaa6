using MixMate.Cli.CommandLine;

namespace MixMate.Cli.Commands;

/// <summary>`mixmate mix` (being written).</summary>
internal static class MixCommand
{
    public static int Run(IReadOnlyList<string> args) => throw new CliException("mix: not available yet", ExitCodes.InternalError);
}
