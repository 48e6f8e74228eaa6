namespace MixMate.Assistant.Balance;

/// <summary>Which loudness of a track a balance table's targets are measured in.</summary>
public enum BalanceMeasure
{
    /// <summary><see cref="ActiveLoudness.Lufs"/>: loudness where the track plays.</summary>
    Active = 0,

    /// <summary><see cref="ActiveLoudness.IntegratedLufs"/>: BS.1770-4 gated integrated loudness.</summary>
    Integrated = 1,
}
