using MixMate.Assistant.Streaming;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Tonal;

/// <summary>
/// What the tonal engine reads of a programme: its long-term spectrum in the 31 ISO third-octave
/// bands (reports, plots, the loudness-free comparisons) and in 121 twelfth-octave bands (the fault
/// finder's resolution), both absolute dB, −∞ where empty or above Nyquist.
/// </summary>
/// <param name="ThirdOctaveDb">31 third-octave levels (<see cref="ThirdOctaveBands"/>).</param>
/// <param name="FineDb">121 twelfth-octave levels (<see cref="TwelfthOctaveBands"/>).</param>
/// <param name="SampleRate">The programme's rate.</param>
public sealed record TonalProfile(double[] ThirdOctaveDb, double[] FineDb, double SampleRate)
{
    /// <summary>[any thread but the audio thread] Measures <paramref name="block"/> (Welch, as
    /// <see cref="TonalBalance.MeasureBands(AudioBlock, double)"/>).</summary>
    public static TonalProfile Measure(AudioBlock block, double sampleRate)
    {
        LongTermSpectrum spectrum = TonalBalance.CreateBandMeter(sampleRate, block.Channels, block.Frames);
        const int Step = 65536;
        for (int start = 0; start < block.Frames; start += Step)
        {
            spectrum.Process(block.Slice(start, Math.Min(Step, block.Frames - start)));
        }

        return FromSpectrum(spectrum);
    }

    /// <summary>[any thread but the audio thread] <see cref="Measure(AudioBlock, double)"/> on one
    /// pass over a source (memory: one block and the analyser), feeding <paramref name="speech"/>
    /// the same blocks when given.</summary>
    public static TonalProfile Measure(IAudioSource source, SpeechDetector? speech = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        LongTermSpectrum spectrum = TonalBalance.CreateBandMeter(source.SampleRate, source.Channels, source.Frames);
        const int Step = 16384;
        var samples = new float[Step * Math.Max(1, source.Channels)];
        var block = new AudioBlock(samples, source.Channels, Step, Step);
        source.Rewind();
        int read;
        while ((read = source.Read(block)) > 0)
        {
            spectrum.Process(block.Slice(0, read));
            speech?.Add(block.Slice(0, read));
        }

        return FromSpectrum(spectrum);
    }

    /// <summary>[any thread but the audio thread] The profile of what <paramref name="spectrum"/> has
    /// accumulated (a streaming caller feeds it block by block and reads it once).</summary>
    public static TonalProfile FromSpectrum(LongTermSpectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var third = new double[ThirdOctaveBands.Count];
        spectrum.ThirdOctaveDb(third);
        var fine = new double[TwelfthOctaveBands.Count];
        TwelfthOctaveBands.LevelsDb(spectrum.PowerSpectrum, spectrum.SampleRate / spectrum.FftSize, fine);
        return new TonalProfile(third, fine, spectrum.SampleRate);
    }

    /// <summary>[any thread] The profile of a one-sided power spectrum (bins 0..N/2 of an
    /// <paramref name="fftSize"/>-point analysis at <paramref name="sampleRate"/>).</summary>
    public static TonalProfile FromPower(ReadOnlySpan<double> power, double sampleRate, int fftSize)
    {
        var third = new double[ThirdOctaveBands.Count];
        var fine = new double[TwelfthOctaveBands.Count];
        ThirdOctaveBands.LevelsDb(power, sampleRate / fftSize, third);
        TwelfthOctaveBands.LevelsDb(power, sampleRate / fftSize, fine);
        return new TonalProfile(third, fine, sampleRate);
    }
}
