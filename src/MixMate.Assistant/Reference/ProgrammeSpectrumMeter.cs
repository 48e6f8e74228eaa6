using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Reference;

/// <summary>
/// Accumulates what a match reads of a programme's spectrum, block by block (so it rides along a
/// streamed pass): the long-term spectrum (the tonal balance's own band meter, so the bands agree
/// with it) as third-octave bands and a 1/24-octave grid, and the side-to-mid energy ratio.
/// </summary>
/// <remarks>[one thread at a time] Allocates in the constructor only.</remarks>
public sealed class ProgrammeSpectrumMeter
{
    private readonly LongTermSpectrum _spectrum;
    private readonly double _sampleRate;
    private readonly int _channels;
    private double _mid, _side;

    /// <param name="sampleRate">The programme's rate.</param>
    /// <param name="channels">Its channel count.</param>
    /// <param name="frames">Its length (chooses the spectrum's hop as the tonal balance does).</param>
    public ProgrammeSpectrumMeter(double sampleRate, int channels, long frames)
    {
        _spectrum = TonalBalance.CreateBandMeter(sampleRate, channels, frames);
        _sampleRate = sampleRate;
        _channels = channels;
    }

    /// <summary>[analysis thread] Accumulates the block (unchanged).</summary>
    public void Process(AudioBlock block)
    {
        _spectrum.Process(block);
        if (block.Channels == 2)
        {
            ReadOnlySpan<float> l = block[0], r = block[1];
            double mid = 0, side = 0;
            for (int i = 0; i < l.Length; i++)
            {
                double m = l[i] + r[i], s = l[i] - r[i];
                mid += m * m;
                side += s * s;
            }

            _mid += mid;
            _side += side;
        }
    }

    /// <summary>[analysis thread] The bands, the grid and the width of everything processed.</summary>
    public (double[] BandsDb, SpectrumGrid Grid, double? WidthDb) Finish()
    {
        double[] bands = TonalBalance.Bands(_spectrum);
        SpectrumGrid grid = SpectrumGrid.FromPowerSpectrum(_spectrum.PowerSpectrum, _sampleRate, _spectrum.FftSize);
        double? width = _channels == 2 && _mid > 0 ? Decibels.FromPower(Math.Max(_side, 1e-30) / _mid) : null;
        return (bands, grid, width);
    }
}
