namespace MixMate.Plugin.Mastering;

/// <summary>
/// Delivery targets offered by the <c>target</c> parameter: integrated loudness (LUFS, ITU-R
/// BS.1770-4 gating) and true-peak ceiling (dBTP). The list order is part of the saved state and
/// of automation: append only.
/// </summary>
/// <remarks>[any thread] Constant data. Values are the platforms' published normalisation
/// references (EBU R 128: −23 LUFS, −1 dBTP; ATSC A/85: −24 LKFS, −2 dBTP); "custom" takes the
/// <c>targetLufs</c> and <c>ceilingDbtp</c> parameters instead.</remarks>
public static class LoudnessTargets
{
    public const int Custom = 9;

    public static readonly string[] Names =
        ["spotify", "apple", "youtube", "tidal", "amazon", "deezer", "ebu-r128", "atsc-a85", "podcast", "custom"];

    private static readonly double[] s_lufs = [-14, -16, -14, -14, -14, -15, -23, -24, -16, double.NaN];
    private static readonly double[] s_ceiling = [-1, -1, -1, -1, -2, -1, -1, -2, -1, double.NaN];

    /// <summary>Integrated loudness target of preset <paramref name="index"/>, or
    /// <paramref name="customLufs"/> for "custom".</summary>
    public static double Lufs(int index, double customLufs) =>
        index >= 0 && index < Custom ? s_lufs[index] : customLufs;

    /// <summary>True-peak ceiling of preset <paramref name="index"/>, or
    /// <paramref name="customCeiling"/> for "custom".</summary>
    public static double CeilingDbtp(int index, double customCeiling) =>
        index >= 0 && index < Custom ? s_ceiling[index] : customCeiling;
}
