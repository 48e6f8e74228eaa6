namespace MixMate.Benchmarks;

/// <summary>Wall and CPU seconds of repeated runs of an external command; reports medians.</summary>
internal sealed class Timings
{
    private readonly List<double> _wall = [];
    private readonly List<double> _cpu = [];

    public double Wall => TimedProcess.Median(_wall);

    public double Cpu => TimedProcess.Median(_cpu);

    public void Add((double Seconds, double CpuSeconds, string StandardError) run)
    {
        _wall.Add(run.Seconds);
        _cpu.Add(run.CpuSeconds);
    }
}
