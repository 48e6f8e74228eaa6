namespace MixMate.Cli.Batch;

/// <summary>
/// Runs jobs 0…count−1 on <c>jobs</c> threads of their own, each taking the next job when it is
/// done with one — in one process, so the runtime starts and compiles once for the whole batch.
/// Stops handing out jobs once <c>stopping</c> says so (the jobs in flight finish).
/// </summary>
/// <remarks>[main-thread] blocks until every thread is done; jobs run on the pool's threads.</remarks>
internal static class WorkerPool
{
    /// <summary>Runs the jobs; an exception escaping a job is rethrown here once all threads are done.</summary>
    public static void Run(int count, int jobs, Action<int> job, Func<bool> stopping)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(stopping);
        int next = -1;
        Exception? escaped = null;
        var threads = new Thread[Math.Clamp(jobs, 1, Math.Max(1, count))];
        for (int t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(() =>
            {
                try
                {
                    while (!stopping() && Volatile.Read(ref escaped) is null)
                    {
                        int i = Interlocked.Increment(ref next);
                        if (i >= count)
                        {
                            return;
                        }

                        job(i);
                    }
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref escaped, e, null);
                }
            })
            {
                IsBackground = true,
                Name = $"mixmate-batch-{t}",
            };
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        if (escaped is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(escaped);
        }
    }
}
