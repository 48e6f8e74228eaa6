using MixMate.Cli.Audio;

namespace MixMate.Benchmarks;

/// <summary>The 4-minute programme held in memory once per process, in each meter's natural
/// layout: planar for MixMate, interleaved for libebur128 (both prepared before any timing).</summary>
internal static class LoudnessMaterial
{
    /// <summary>Frames handed to a meter per call: what <c>mixmate analyze</c> streams.</summary>
    public const int ChunkFrames = 4096;

    private static readonly Lazy<(PlanarBuffer Planar, float[] Interleaved)> _song =
        new(() => BenchMaterial.LoadBoth(BenchMaterial.FourMinuteSong()));

    /// <summary>[any thread] Planar float samples.</summary>
    public static PlanarBuffer Planar => _song.Value.Planar;

    /// <summary>[any thread] The same samples interleaved.</summary>
    public static float[] Interleaved => _song.Value.Interleaved;
}
