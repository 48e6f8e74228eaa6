namespace MixMate.Plugin.Editor;

/// <summary>
/// The short-term loudness over the last <see cref="Capacity"/> samples, taken by the editor
/// every <see cref="IntervalSeconds"/> (from the published meter; the audio thread knows nothing of
/// it). A ring buffer allocated once.
/// </summary>
/// <remarks>[main-thread] Owned by one editor.</remarks>
public sealed class LoudnessHistory
{
    /// <summary>Samples kept: 30 s at <see cref="IntervalSeconds"/>.</summary>
    public const int Capacity = 300;

    /// <summary>Seconds between samples.</summary>
    public const double IntervalSeconds = 0.1;

    private readonly float[] _values = new float[Capacity];
    private int _next;
    private long _lastTicks = long.MinValue;
    private int _sameRun;

    /// <summary>Samples stored (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Samples added since creation.</summary>
    public long Total { get; private set; }

    /// <summary>Changes whenever the history looks different: not when a sample equal to every
    /// sample shown is added (a silent input scrolls a flat line, and an idle editor need not
    /// redraw for it).</summary>
    public long Version { get; private set; }

    /// <summary>The <paramref name="age"/>-th newest sample (0 = newest).</summary>
    public float this[int age] => _values[(_next - 1 - age + (2 * Capacity)) % Capacity];

    /// <summary>Adds <paramref name="lufs"/> when at least one interval passed since the last
    /// sample, timed by <paramref name="ticks"/> (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public void Sample(double lufs, long ticks)
    {
        long interval = (long)(IntervalSeconds * System.Diagnostics.Stopwatch.Frequency);
        if (_lastTicks != long.MinValue && ticks - _lastTicks < interval)
        {
            return;
        }

        _lastTicks = ticks;
        Add(lufs);
    }

    /// <summary>Adds one sample now.</summary>
    public void Add(double lufs)
    {
        float value = (float)lufs;
        _sameRun = Count > 0 && value.Equals(this[0]) ? _sameRun + 1 : 0;
        if (_sameRun < Capacity)
        {
            Version++;
        }

        _values[_next] = value;
        _next = (_next + 1) % Capacity;
        Count = Math.Min(Capacity, Count + 1);
        Total++;
    }
}
