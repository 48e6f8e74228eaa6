using System.Runtime.InteropServices;

namespace MixMate.Benchmarks;

/// <summary>
/// CPU time (user + system) from Linux getrusage(2): of the calling thread (RUSAGE_THREAD) and of
/// all waited-for child processes (RUSAGE_CHILDREN). On a shared, oversubscribed machine wall time
/// includes waiting for a core; CPU time does not, so both are reported.
/// </summary>
internal static partial class CpuTime
{
    private const int RusageChildren = -1;
    private const int RusageThread = 1;

    /// <summary>[any thread] CPU seconds used so far by the calling thread.</summary>
    public static double CurrentThread() => Read(RusageThread);

    /// <summary>[any thread] CPU seconds used so far by all terminated, waited-for children.</summary>
    public static double Children() => Read(RusageChildren);

    private static double Read(int who)
    {
        if (GetRusage(who, out Rusage usage) != 0)
        {
            throw new InvalidOperationException("getrusage failed.");
        }

        return usage.UserSeconds + (usage.UserMicroseconds * 1e-6) + usage.SystemSeconds + (usage.SystemMicroseconds * 1e-6);
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    /// <summary>struct rusage on x86-64/arm64 Linux: two struct timeval, then 14 longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss, Ixrss, Idrss, Isrss, Minflt, Majflt, Nswap, Inblock, Oublock, Msgsnd, Msgrcv, Nsignals, Nvcsw, Nivcsw;
    }
}
