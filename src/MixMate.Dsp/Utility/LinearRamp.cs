namespace MixMate.Dsp.Utility;

/// <summary>
/// A straight-line ramp to a target over a fixed number of steps, landing on the target exactly.
/// Used where a fade must finish in known time (crossfades, enable/disable of EQ bands).
/// </summary>
/// <remarks>A mutable struct held by value inside its processor; no allocation.</remarks>
public struct LinearRamp
{
    private double _step;
    private int _remaining;

    /// <summary>[owner's thread] The current value.</summary>
    public double Current { get; private set; }

    /// <summary>[owner's thread] The value the ramp ends on.</summary>
    public double Target { get; private set; }

    /// <summary>[owner's thread] True when the ramp has reached its target.</summary>
    public readonly bool IsSettled => _remaining == 0;

    /// <summary>[owner's thread] Steps left until the target is reached.</summary>
    public readonly int Remaining => _remaining;

    /// <summary>[audio thread] Starts a ramp from the current value to <paramref name="target"/>
    /// taking <paramref name="steps"/> steps (≤ 0: jump).</summary>
    public void Start(double target, int steps)
    {
        Target = target;
        if (steps <= 0 || target == Current)
        {
            Current = target;
            _remaining = 0;
            _step = 0;
            return;
        }

        _remaining = steps;
        _step = (target - Current) / steps;
    }

    /// <summary>[audio thread] Jumps to <paramref name="value"/>.</summary>
    public void Snap(double value)
    {
        Current = value;
        Target = value;
        _remaining = 0;
        _step = 0;
    }

    /// <summary>[audio thread] Advances one step and returns the new value.</summary>
    public double Next()
    {
        if (_remaining > 0)
        {
            _remaining--;
            Current = _remaining == 0 ? Target : Current + _step;
        }

        return Current;
    }
}
