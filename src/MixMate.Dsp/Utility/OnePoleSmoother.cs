namespace MixMate.Dsp.Utility;

/// <summary>
/// Exponential (one-pole low-pass) approach of a value towards a target, in whatever domain the
/// caller stores (linear gain, dB, log-frequency). Settles onto the target exactly once it is
/// within <see cref="SnapDistance"/>, so "is it still moving" has a cheap exact answer.
/// </summary>
/// <remarks>A mutable struct held by value inside its processor; no allocation.</remarks>
public struct OnePoleSmoother
{
    private double _coefficient;

    /// <summary>[owner's thread] Distance below which the value jumps onto the target.</summary>
    public double SnapDistance { get; set; }

    /// <summary>[owner's thread] The value produced by the last <see cref="Next"/> (or set by <see cref="Snap"/>).</summary>
    public double Current { get; private set; }

    /// <summary>[owner's thread] The value being approached.</summary>
    public double Target { get; private set; }

    /// <summary>[owner's thread] True when <see cref="Current"/> equals <see cref="Target"/>.</summary>
    public readonly bool IsSettled => Current == Target;

    /// <summary>[non-real-time or audio thread] Sets the time constant: after
    /// <paramref name="timeConstantSteps"/> steps 1 − 1/e of a jump is covered. Zero or less means
    /// the value jumps at the next step.</summary>
    public void SetTimeConstant(double timeConstantSteps)
    {
        _coefficient = timeConstantSteps > 0 ? Math.Exp(-1.0 / timeConstantSteps) : 0.0;
    }

    /// <summary>[audio thread] Sets a new target; the value starts moving at the next step.</summary>
    public void SetTarget(double target) => Target = target;

    /// <summary>[audio thread] Jumps to <paramref name="value"/> (no smoothing).</summary>
    public void Snap(double value)
    {
        Current = value;
        Target = value;
    }

    /// <summary>[audio thread] Advances one step and returns the new value.</summary>
    public double Next()
    {
        if (Current != Target)
        {
            double next = Target + (Current - Target) * _coefficient;
            Current = Math.Abs(next - Target) <= SnapDistance ? Target : next;
        }

        return Current;
    }
}
