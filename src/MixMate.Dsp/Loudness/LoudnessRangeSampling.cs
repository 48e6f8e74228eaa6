namespace MixMate.Dsp.Loudness;

/// <summary>How often a short-term (3 s) loudness value enters the Loudness Range distribution.</summary>
public enum LoudnessRangeSampling
{
    /// <summary>Every 100 ms (2.9 s overlap), as EBU Tech 3342 §3.1 requires ("≥10 Hz sampling of
    /// the loudness level"). The default.</summary>
    Every100Milliseconds = 0,

    /// <summary>Every second (2 s overlap), as libebur128 1.2.6 does; not Tech 3342 compliant.
    /// Only for comparing against that library.</summary>
    EverySecond = 1,
}
