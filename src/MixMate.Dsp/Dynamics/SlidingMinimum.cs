namespace MixMate.Dsp.Dynamics;

/// <summary>
/// Minimum of the last <c>Window</c> values pushed, in amortized O(1) per value: a monotonic
/// queue (ascending from front to back) whose front is the minimum. A value is dropped when a
/// newer value not larger than it arrives (it can never be the minimum again) or when it falls
/// out of the window. Worst case per push is O(Window) — only right after a long descending run.
/// </summary>
/// <remarks>Allocates only in the constructor; a class owned by one processor.</remarks>
internal sealed class SlidingMinimum
{
    private readonly double[] _values;
    private readonly long[] _times;
    private int _front;
    private int _count;
    private long _time;

    /// <summary>[non-real-time] A window of <paramref name="window"/> values (≥ 1).</summary>
    public SlidingMinimum(int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Window = window;
        _values = new double[window];
        _times = new long[window];
    }

    /// <summary>[any thread] Number of values the minimum covers.</summary>
    public int Window { get; }

    /// <summary>[audio thread] Forgets everything (the window then holds only later pushes).</summary>
    public void Reset()
    {
        _front = 0;
        _count = 0;
        _time = 0;
    }

    /// <summary>[audio thread] Adds <paramref name="value"/> and returns the minimum of the last
    /// <c>Window</c> values (fewer just after a reset).</summary>
    public double Push(double value)
    {
        int capacity = _values.Length;

        // Drop the back while it is not smaller than the new value.
        while (_count > 0)
        {
            int back = _front + _count - 1;
            if (back >= capacity)
            {
                back -= capacity;
            }

            if (_values[back] < value)
            {
                break;
            }

            _count--;
        }

        // Drop the front if it has left the window.
        if (_count > 0 && _times[_front] <= _time - capacity)
        {
            _front = _front + 1 == capacity ? 0 : _front + 1;
            _count--;
        }

        int slot = _front + _count;
        if (slot >= capacity)
        {
            slot -= capacity;
        }

        _values[slot] = value;
        _times[slot] = _time;
        _count++;
        _time++;
        return _values[_front];
    }
}
