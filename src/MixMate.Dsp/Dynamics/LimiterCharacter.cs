namespace MixMate.Dsp.Dynamics;

/// <summary>How <see cref="TruePeakLimiter"/> recovers after limiting.</summary>
public enum LimiterCharacter
{
    /// <summary>The defaults: 50 ms release, 15 ms hold (bridges the half-period of anything above
    /// 33 Hz, so a bass note is not modulated), 800 ms release after sustained limiting (no pumping
    /// on dense material). Loudness stops growing with gain early on dense or peaky material.</summary>
    Transparent,

    /// <summary>For loudness the transparent character cannot reach: 20 ms release, 5 ms hold, 50 ms
    /// after sustained limiting. The gain recovers between transients and within a bass note's
    /// cycle above 100 Hz, so the same ceiling carries 1–2 LU more, at the cost of audible
    /// distortion on sustained bass and of pumping on dense passages.</summary>
    Dense,
}
