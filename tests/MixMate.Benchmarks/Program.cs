using BenchmarkDotNet.Running;

namespace MixMate.Benchmarks;

/// <summary>
/// Entry point. Modes:
/// <c>check</c> — loudness agreement of MixMate and libebur128 on the benchmark programme (exit 1 on disagreement);
/// <c>external [--cli DLL] [--runs N] [--out FILE]</c> — Issue 3 process-level comparisons (<see cref="ExternalHarness"/>);
/// <c>realtime [--blocks N] [--out FILE]</c> — Issue 4 worst-block harness (<see cref="RealTimeHarness"/>);
/// <c>profile-master [--runs N] [--out FILE]</c> — stage timings of <c>mixmate master</c> (<see cref="MasterProfile"/>);
/// <c>mix [--cli DLL] [--runs N] [--out FILE]</c> — Issue 6 <c>mixmate mix</c> vs ffmpeg <c>amix</c> on 16 stems (<see cref="MixHarness"/>);
/// <c>profile-mix [--runs N] [--out FILE] [--command-only]</c> — stage timings of <c>mixmate mix</c> (<see cref="MixProfile"/>);
/// <c>check-speed [--runs N]</c> — Issue 16 <c>mixmate check</c> pass vs the loudness meter (<see cref="CheckBenchmarks"/>);
/// <c>memory [--cli DLL] [--minutes 10,60,180] [--out FILE]</c> — Issue 13 peak memory of <c>master</c> and <c>suggest</c> on long programmes (<see cref="MemoryHarness"/>);
/// <c>batch [--cli DLL] [--files N] [--runs N] [--out FILE]</c> — Issue 18 <c>mixmate batch master</c> vs one <c>mixmate master</c> process per file (<see cref="BatchHarness"/>);
/// <c>libraries [--rounds N]</c> — MixMate's numerics side by side with MathNet.Numerics (<see cref="LibraryComparison"/>);
/// anything else goes to BenchmarkDotNet (always in-process: the benchmarks need no separate build).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : string.Empty;
        switch (mode)
        {
            case "check":
                try
                {
                    LoudnessComparison.VerifyAgreement();
                    return 0;
                }
                catch (InvalidOperationException e)
                {
                    Console.Error.WriteLine(e.Message);
                    return 1;
                }

            case "external":
                return ExternalHarness.Run(args[1..]);
            case "libraries":
                return LibraryComparison.Run(args[1..]);
            case "realtime":
                return RealTimeHarness.Run(args[1..]);
            case "profile-master":
                return MasterProfile.Run(args[1..]);
            case "mix":
                return MixHarness.Run(args[1..]);
            case "profile-mix":
                return MixProfile.Run(args[1..]);
            case "memory":
                return MemoryHarness.Run(args[1..]);
            case "batch":
                return BatchHarness.Run(args[1..]);
            case "check-speed":
                return CheckBenchmarks.RunSpeed(args[1..]);
            default:
                string[] bdnArgs = args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(bdnArgs);
                return 0;
        }
    }
}
