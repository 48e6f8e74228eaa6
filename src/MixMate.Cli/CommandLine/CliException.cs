namespace MixMate.Cli.CommandLine;

/// <summary>
/// A problem the user can fix (bad argument, unreadable file, impossible target). Its message is
/// printed as one line on stderr — naming the file where there is one — and the process exits with
/// <see cref="ExitCode"/>; no stack trace is shown.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(string message, int exitCode = ExitCodes.BadInput)
        : base(message) => ExitCode = exitCode;

    public CliException(string message, Exception inner, int exitCode = ExitCodes.BadInput)
        : base(message, inner) => ExitCode = exitCode;

    public int ExitCode { get; }

    /// <summary>A problem with one file: "PATH: problem".</summary>
    public static CliException ForFile(string path, string problem) => new($"{path}: {problem}");
}

/// <summary>Process exit codes of <c>mixmate</c>.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed that is not the user's input (a bug or the machine).</summary>
    public const int InternalError = 1;

    /// <summary>Bad input: arguments, files or targets. Other files of the same call are still processed.</summary>
    public const int BadInput = 2;
}
