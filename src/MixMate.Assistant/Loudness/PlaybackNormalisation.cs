namespace MixMate.Assistant.Loudness;

/// <summary>How a platform levels programmes on playback (<see cref="LoudnessTarget.PlaybackGainDb"/>).</summary>
public enum PlaybackNormalisation
{
    /// <summary>Louder programmes are turned down; quieter ones are turned up only while the true peak
    /// stays under the platform's ceiling (Spotify's and Apple Music's default normalisation).</summary>
    UpWithinPeakHeadroom,

    /// <summary>Louder programmes are turned down; quieter ones are played as they are (YouTube, Tidal,
    /// Amazon Music, Deezer).</summary>
    DownOnly,

    /// <summary>The programme is aligned to the target both ways (a broadcaster's loudness
    /// normalisation, EBU R128 and ATSC A/85), its own limiter handling the peaks.</summary>
    Both,
}
