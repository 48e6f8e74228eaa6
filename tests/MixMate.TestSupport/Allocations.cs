namespace MixMate.TestSupport;

/// <summary>Measures managed allocations on the calling thread, for the zero-allocation tests.</summary>
public static class Allocations
{
    /// <summary>Runs <paramref name="warmUp"/> once (JIT, tiering, lazy state), then
    /// <paramref name="action"/> <paramref name="iterations"/> times, and returns the bytes allocated
    /// on this thread by the measured iterations. A loaded machine can finish tiered compilation
    /// (or on-stack replacement) late, and installing the new code allocates once on the calling
    /// thread; so a round that allocates is measured again, up to <paramref name="rounds"/> rounds,
    /// and the least is returned. Code that allocates in steady state allocates in every round.</summary>
    public static long Measure(Action warmUp, Action action, int iterations = 2000, int rounds = 5)
    {
        ArgumentNullException.ThrowIfNull(warmUp);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        warmUp();
        action();
        long least = long.MaxValue;
        for (int round = 0; round < rounds && least > 0; round++)
        {
            if (round > 0)
            {
                Thread.Sleep(100);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++)
            {
                action();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }

    /// <summary>Returns the bytes allocated on this thread by exactly one call of
    /// <paramref name="action"/>, with nothing run before it: for a call whose work happens only
    /// once (a state applied by the next process call), which <see cref="Measure"/> would run
    /// unmeasured first.</summary>
    public static long MeasureOnce(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>A warm-up for <see cref="Measure"/> that reaches steady state: two rounds of
    /// <paramref name="calls"/> calls with a pause between them, so that tiered compilation (and
    /// on-stack replacement), which may allocate on the calling thread once, has finished.</summary>
    public static Action Settled(Action action, int calls = 200) => () =>
    {
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < calls; i++)
            {
                action();
            }

            Thread.Sleep(250);
        }
    };
}
