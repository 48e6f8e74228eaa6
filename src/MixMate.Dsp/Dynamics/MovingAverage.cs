namespace MixMate.Dsp.Dynamics;

/// <summary>
/// Mean of the last <c>Length</c> values (a boxcar FIR), kept as a running sum in double. The
/// sum is recomputed from the buffer each time the write position wraps, so rounding error from
/// adding and subtracting cannot accumulate over hours of audio.
/// </summary>
/// <remarks>Allocates only in the constructor; a class owned by one processor.</remarks>
internal sealed class MovingAverage
{
    private readonly double[] _buffer;
    private readonly double _length;
    private readonly double _fill;
    private double _sum;
    private int _position;

    /// <summary>[non-real-time] A boxcar of <paramref name="length"/> taps whose history starts
    /// filled with <paramref name="fill"/>.</summary>
    public MovingAverage(int length, double fill)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        _buffer = new double[length];
        _length = length;
        _fill = fill;
        Reset();
    }

    /// <summary>[audio thread] Refills the history with the initial value.</summary>
    public void Reset()
    {
        Array.Fill(_buffer, _fill);
        _sum = _fill * _buffer.Length;
        _position = 0;
    }

    /// <summary>[audio thread] <see cref="Push"/> on each of <paramref name="values"/> in turn, each
    /// replaced by the mean it returns (the same arithmetic, the state kept in registers).</summary>
    public void Process(Span<double> values)
    {
        double[] buffer = _buffer;
        double length = _length;
        double sum = _sum;
        int position = _position;
        for (int i = 0; i < values.Length; i++)
        {
            double value = values[i];
            sum += value - buffer[position];
            buffer[position] = value;
            if (++position == buffer.Length)
            {
                position = 0;
                double exact = 0;
                for (int k = 0; k < buffer.Length; k++)
                {
                    exact += buffer[k];
                }

                sum = exact;
            }

            values[i] = sum / length;
        }

        _sum = sum;
        _position = position;
    }

    /// <summary>[audio thread] Adds <paramref name="value"/>, drops the oldest and returns the mean.</summary>
    public double Push(double value)
    {
        _sum += value - _buffer[_position];
        _buffer[_position] = value;
        if (++_position == _buffer.Length)
        {
            _position = 0;
            double exact = 0;
            for (int i = 0; i < _buffer.Length; i++)
            {
                exact += _buffer[i];
            }

            _sum = exact;
        }

        // Division, not multiplication by 1/length: a full window of ones must give exactly 1 so the
        // limiter is bit-transparent below its ceiling.
        return _sum / _length;
    }
}
