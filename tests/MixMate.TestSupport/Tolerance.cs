using System.Globalization;

namespace MixMate.TestSupport;

/// <summary>One place for numeric comparisons in tests, so every failure message has the same form.</summary>
public static class Tolerance
{
    /// <summary>Throws unless |actual − expected| ≤ tolerance.</summary>
    public static void AssertClose(double expected, double actual, double tolerance, string what = "value")
    {
        if (double.IsNaN(actual) || Math.Abs(actual - expected) > tolerance)
        {
            throw new ToleranceException(string.Create(CultureInfo.InvariantCulture,
                $"{what}: expected {expected:0.#####} ± {tolerance:0.#####}, got {actual:0.#####} (off by {actual - expected:+0.#####;-0.#####})"));
        }
    }

    /// <summary>Throws unless every element of the two spans agrees within tolerance.</summary>
    public static void AssertAllClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what = "signal")
    {
        if (expected.Length != actual.Length)
        {
            throw new ToleranceException($"{what}: length {actual.Length}, expected {expected.Length}");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                throw new ToleranceException(string.Create(CultureInfo.InvariantCulture,
                    $"{what}[{i}]: expected {expected[i]:0.########} ± {tolerance:0.########}, got {actual[i]:0.########}"));
            }
        }
    }

    /// <summary>Throws if any sample is NaN, infinite or subnormal.</summary>
    public static void AssertFiniteNormal(ReadOnlySpan<float> samples, string what = "output")
    {
        for (int i = 0; i < samples.Length; i++)
        {
            float x = samples[i];
            if (!float.IsFinite(x) || float.IsSubnormal(x))
            {
                throw new ToleranceException($"{what}[{i}] = {x} is not a finite normal number");
            }
        }
    }
}

/// <summary>A failed tolerance assertion.</summary>
public sealed class ToleranceException(string message) : Exception(message);
