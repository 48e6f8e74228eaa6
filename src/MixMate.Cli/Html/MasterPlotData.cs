using MixMate.Assistant.Mastering;
using MixMate.Dsp;

namespace MixMate.Cli.Html;

/// <summary>What <c>mixmate master --html</c> plots besides the <see cref="MasterResult"/>: the
/// profiles of the programme before and after mastering.</summary>
/// <param name="Input">The source as read.</param>
/// <param name="Output">The master as delivered (after dither).</param>
internal sealed record MasterPlotData(ProgrammeProfile Input, ProgrammeProfile Output)
{
    /// <summary>[any thread] Profiles both programmes; the input's spectrum is taken from the
    /// mastering run when it measured one.</summary>
    public static MasterPlotData Collect(AudioBlock input, AudioBlock output, double sampleRate, MasterResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double[]? inputBands = result.InputBandsDb.Length == Dsp.Spectrum.ThirdOctaveBands.Count ? result.InputBandsDb : null;
        return new MasterPlotData(ProgrammeProfile.Measure(input, sampleRate, inputBands), ProgrammeProfile.Measure(output, sampleRate));
    }
}
