namespace MixMate.Assistant.Tonal;

/// <summary>
/// The words engineers use for too much or too little in each region, placed where they mean it:
/// boomy 60–200 Hz, muddy 200–350 Hz, boxy 350–700 Hz, honky 700 Hz–1.8 kHz, harsh 1.8–5 kHz,
/// sibilant 5–10 kHz, air above 10 kHz (muddiness is 200–500 Hz, boxiness 300–900 Hz and honk
/// 500 Hz–1.5 kHz in the usual descriptions; where two overlap the lower word ends where the
/// upper one is the more common).
/// </summary>
public static class ToneWords
{
    /// <summary>[any thread] The word for a region at <paramref name="hz"/> that has too much
    /// (<paramref name="tooMuch"/>) or too little energy.</summary>
    public static string For(double hz, bool tooMuch) => (hz, tooMuch) switch
    {
        ( < 60, true) => "rumbling sub-bass",
        ( < 60, false) => "light sub-bass",
        ( < 200, true) => "boomy",
        ( < 200, false) => "thin low end",
        ( < 350, true) => "muddy",
        ( < 350, false) => "lacking warmth",
        ( < 700, true) => "boxy",
        ( < 700, false) => "lacking body",
        ( < 1800, true) => "honky",
        ( < 1800, false) => "hollow mids",
        ( < 5000, true) => "harsh",
        ( < 5000, false) => "lacking presence",
        ( < 10000, true) => "sibilant",
        ( < 10000, false) => "dull",
        (_, true) => "too much air",
        _ => "lacking air",
    };
}
