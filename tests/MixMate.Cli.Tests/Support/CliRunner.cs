using System.Diagnostics;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Commands;

namespace MixMate.Cli.Tests.Support;

/// <summary>Runs <c>mixmate</c> in-process (fast, for output checks) or as a real process (for exit
/// codes and what a user sees on the terminal).</summary>
internal static class CliRunner
{
    /// <summary>What one run printed and returned.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>Calls <see cref="AnalyzeCommand"/> directly, handling <see cref="CliException"/> the
    /// way <c>Program.Main</c> does.</summary>
    public static Result Analyze(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode;
        try
        {
            exitCode = AnalyzeCommand.Run(args, stdout, stderr, showProgress: false);
        }
        catch (CliException e)
        {
            stderr.WriteLine($"mixmate: {e.Message}");
            exitCode = e.ExitCode;
        }

        return new Result(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the built <c>mixmate.dll</c> (copied next to the tests) with the dotnet host.</summary>
    public static Result Process(params string[] args) => ProcessWith(new Dictionary<string, string>(), args);

    /// <summary>Runs the built <c>mixmate.dll</c> with extra environment variables (a GC heap limit).</summary>
    public static Result ProcessWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string assembly = Path.Combine(AppContext.BaseDirectory, "mixmate.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException("mixmate.dll is not next to the test assembly.", assembly);
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("MIXMATE_DEBUG");
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = System.Diagnostics.Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mixmate {string.Join(' ', args)} did not finish in 120 s.");
        }

        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string DotnetHost()
    {
        // Set by 'dotnet test'; otherwise the host running these tests, or 'dotnet' on PATH.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
