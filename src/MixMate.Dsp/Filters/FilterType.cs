namespace MixMate.Dsp.Filters;

/// <summary>Shapes an EQ band can take. Values are stable (stored in presets); append only.</summary>
public enum FilterType
{
    /// <summary>RBJ peaking EQ: gain at the centre frequency, bandwidth from Q.</summary>
    Peak = 0,

    /// <summary>RBJ low shelf with Q (Q = 1/√2 is the steepest shelf without overshoot).</summary>
    LowShelf = 1,

    /// <summary>RBJ high shelf with Q.</summary>
    HighShelf = 2,

    /// <summary>RBJ second-order high-pass, 12 dB/oct; Q = 1/√2 is Butterworth (−3 dB at the cutoff).</summary>
    HighPass12 = 3,

    /// <summary>Fourth-order Butterworth high-pass, 24 dB/oct, −3 dB at the cutoff: two RBJ sections
    /// with Q = 0.5412 and 1.3066. The band's Q is ignored.</summary>
    HighPass24 = 4,

    /// <summary>RBJ second-order low-pass, 12 dB/oct; Q = 1/√2 is Butterworth.</summary>
    LowPass12 = 5,

    /// <summary>Fourth-order Butterworth low-pass, 24 dB/oct, −3 dB at the cutoff. The band's Q is ignored.</summary>
    LowPass24 = 6,
}
