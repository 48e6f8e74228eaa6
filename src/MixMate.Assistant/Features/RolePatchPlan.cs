using MixMate.Dsp;

namespace MixMate.Assistant.Features;

/// <summary>
/// The first pass of <see cref="RolePatches"/>: streams a track's blocks, keeps one level per frame
/// (mean square of the mono mix-down over each hop; 8 bytes per 23 ms, 3.7 MB for three hours)
/// and chooses where the patches go. Feed every block in order, then ask <see cref="Starts"/>.
/// </summary>
public sealed class RolePatchPlan
{
    private readonly int _hop;
    private readonly int _window;
    private readonly List<double> _levels = [];
    private double _sum;
    private int _filled;

    /// <summary>[analysis thread] A plan for a track at <paramref name="sampleRate"/>.</summary>
    public RolePatchPlan(double sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        (_hop, _window, _) = RolePatches.Grid(sampleRate);
    }

    /// <summary>Samples from a patch's first frame to the end of its last window.</summary>
    public int SegmentLength => ((RolePatches.Frames - 1) * _hop) + _window;

    /// <summary>[analysis thread] Adds the next block of the track (any channel count, any length).</summary>
    public void Add(AudioBlock block)
    {
        if (block.Channels == 0)
        {
            return;
        }

        double scale = 1.0 / block.Channels;
        for (int i = 0; i < block.Frames; i++)
        {
            double v = 0;
            for (int c = 0; c < block.Channels; c++)
            {
                v += block[c][i];
            }

            v *= scale;
            _sum += v * v;
            if (++_filled == _hop)
            {
                _levels.Add(_sum / _hop);
                _sum = 0;
                _filled = 0;
            }
        }
    }

    /// <summary>
    /// [analysis thread] The first frame of each of the <see cref="RolePatches.Patches"/> patches,
    /// or null for digital silence. The last, partial hop counts as zero-padded.
    /// </summary>
    public int[]? Starts()
    {
        var levels = new List<double>(_levels);
        if (_filled > 0 || levels.Count == 0)
        {
            levels.Add(_sum / _hop);
        }

        return RolePatches.PatchStarts(levels);
    }

    /// <summary>[any thread] The first sample of the patch that starts at <paramref name="frame"/>.</summary>
    public long SegmentStart(int frame) => (long)frame * _hop;
}
