using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MixMate.Benchmarks;

/// <summary>
/// BenchmarkDotNet column "% of real time": the mean time of one operation divided by the audio
/// time it covers (<see cref="MasterChainBenchmarks.BlockFrames"/> frames at
/// <see cref="MasterChainBenchmarks.SampleRate"/> Hz = 1.333 ms per 64-frame block).
/// </summary>
internal sealed class RealTimeColumn : IColumn
{
    private static readonly double _blockNanoseconds = MasterChainBenchmarks.BlockFrames * 1e9 / MasterChainBenchmarks.SampleRate;

    public string Id => nameof(RealTimeColumn);

    public string ColumnName => "% of real time";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => string.Create(CultureInfo.InvariantCulture,
        $"Mean time per 64-frame block as a percentage of the block's duration at 48 kHz ({_blockNanoseconds / 1000:0.###} µs)");

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is null || benchmarkCase.Descriptor.Type != typeof(MasterChainBenchmarks))
        {
            return "-";
        }

        return (100 * mean.Value / _blockNanoseconds).ToString("0.000", CultureInfo.InvariantCulture) + " %";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
