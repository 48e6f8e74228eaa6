namespace MixMate.Dsp.Spectrum;

/// <summary>
/// Long-term average spectrum (LTAS) by Welch's method: Hann-windowed frames with 50 % overlap,
/// power averaged over frames and summed over channels. Feeds tonal-balance analysis (EQ
/// suggestions, role features, report plots). Offline analysis kernel: it allocates in
/// <c>Configure</c> only and accepts blocks of any size.
/// </summary>
public sealed class LongTermSpectrum : IAudioProcessor
{
    private Fft _fft = new(2);
    private double[] _window = [];
    private float[][] _frame = [];
    private double[] _real = [];
    private double[] _imaginary = [];
    private double[] _power = [];
    private double[] _sum = [];
    private double _windowPower;
    private int _hop;
    private int _fill;
    private long _frames;
    private long _powerFrames;
    private int _channels;

    /// <summary>FFT length (32768 at 48 kHz by default).</summary>
    public int FftSize { get; private set; }

    public double SampleRate { get; private set; }

    /// <summary>Frames between successive FFT frames: half the FFT size (Welch's 50 % overlap) by
    /// default; a whole FFT size for long programmes, where overlap adds cost but no information
    /// to a minutes-long average. [non-real-time] Set after <c>Configure</c>, before any audio.</summary>
    public int Hop
    {
        get => _hop;
        set => _hop = Math.Clamp(value, 1, Math.Max(1, FftSize));
    }

    public int LatencySamples => 0;

    /// <summary>Number of frames averaged so far.</summary>
    public long FrameCount => _frames;

    /// <summary>[non-real-time] Configures with the default FFT size for the rate (≈ 1.5 Hz bins, so
    /// the Hann main lobe stays inside the 4.6 Hz-wide 20 Hz third-octave band).</summary>
    public void Configure(double sampleRate, int channels, int maxBlockFrames) =>
        Configure(sampleRate, channels, maxBlockFrames, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(256, sampleRate / 1.5)));

    /// <summary>[non-real-time] Configures with an explicit power-of-two FFT size.</summary>
    public void Configure(double sampleRate, int channels, int maxBlockFrames, int fftSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        SampleRate = sampleRate;
        FftSize = fftSize;
        _channels = channels;
        _fft = new Fft(fftSize);
        _hop = fftSize / 2;
        _window = new double[fftSize];
        for (int n = 0; n < fftSize; n++)
        {
            _window[n] = 0.5 - (0.5 * Math.Cos(2.0 * Math.PI * n / fftSize));
        }

        _frame = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            _frame[c] = new float[fftSize];
        }

        _real = new double[fftSize];
        _imaginary = new double[fftSize];
        _power = new double[(fftSize / 2) + 1];
        _sum = new double[(fftSize / 2) + 1];
        _windowPower = 0;
        foreach (double w in _window)
        {
            _windowPower += w * w;
        }

        Reset();
    }

    public void Reset()
    {
        _fill = 0;
        _frames = 0;
        _powerFrames = 0;
        Array.Clear(_power);
        Array.Clear(_sum);
        foreach (float[] f in _frame)
        {
            Array.Clear(f);
        }
    }

    /// <summary>[analysis thread, configured] Accumulates the block (the audio is not changed).</summary>
    public void Process(AudioBlock block)
    {
        int hop = Hop;
        int offset = 0;
        while (offset < block.Frames)
        {
            int take = Math.Min(FftSize - _fill, block.Frames - offset);
            for (int c = 0; c < _channels; c++)
            {
                block[Math.Min(c, block.Channels - 1)].Slice(offset, take).CopyTo(_frame[c].AsSpan(_fill));
            }

            _fill += take;
            offset += take;
            if (_fill == FftSize)
            {
                AccumulateFrame();
                for (int c = 0; c < _channels; c++)
                {
                    Array.Copy(_frame[c], hop, _frame[c], 0, FftSize - hop);
                }

                _fill = FftSize - hop;
            }
        }
    }

    /// <summary>Mean power per FFT bin (bins 0..N/2), summed over channels; one-sided, scaled so a
    /// full-scale sine's bin energies sum to its mean square (0.5 per channel).</summary>
    public ReadOnlySpan<double> PowerSpectrum
    {
        get
        {
            UpdatePower();
            return _power;
        }
    }

    /// <summary>Frequency of bin <paramref name="bin"/> in Hz.</summary>
    public double BinFrequency(int bin) => bin * SampleRate / FftSize;

    /// <summary>Writes the power of each of the 31 third-octave bands (20 Hz–20 kHz) as dB into
    /// <paramref name="bandDb"/>; bands above Nyquist or without energy get −∞. When nothing has
    /// been analysed yet (input shorter than one FFT frame) the partial frame is used, zero-padded.</summary>
    public void ThirdOctaveDb(Span<double> bandDb)
    {
        if (bandDb.Length < ThirdOctaveBands.Count)
        {
            throw new ArgumentException("Need room for 31 bands.", nameof(bandDb));
        }

        if (_frames == 0 && _fill > 0)
        {
            for (int c = 0; c < _channels; c++)
            {
                _frame[c].AsSpan(_fill).Clear();
            }

            AccumulateFrame();
            _fill = 0;
        }

        UpdatePower();
        for (int b = 0; b < ThirdOctaveBands.Count; b++)
        {
            double low = ThirdOctaveBands.LowerEdge(b);
            double high = ThirdOctaveBands.UpperEdge(b);
            double sum = 0;
            bool any = false;
            for (int k = 1; k < _power.Length; k++)
            {
                double f = BinFrequency(k);
                if (f >= low && f < high)
                {
                    sum += _power[k];
                    any = true;
                }
            }

            // A band narrower than one bin (low bands at short FFT sizes) takes the nearest bin.
            if (!any && high < SampleRate / 2)
            {
                int nearest = (int)Math.Round(ThirdOctaveBands.Centre(b) * FftSize / SampleRate);
                sum = nearest is > 0 && nearest < _power.Length ? _power[nearest] * ((high - low) * FftSize / SampleRate) : 0;
                any = true;
            }

            bandDb[b] = any ? Decibels.FromPower(sum) : double.NegativeInfinity;
        }
    }

    // Channels are transformed in pairs with one complex FFT (a in the real part, b in the
    // imaginary part): with X = FFT(a + ib), |A_k|² + |B_k|² = (|X_k|² + |X_(N−k)|²) / 2, which is all
    // a channel-summed power spectrum needs — half the transforms for stereo.
    private void AccumulateFrame()
    {
        int half = FftSize / 2;
        for (int c = 0; c < _channels; c += 2)
        {
            float[] a = _frame[c];
            float[]? b = c + 1 < _channels ? _frame[c + 1] : null;
            for (int n = 0; n < FftSize; n++)
            {
                _real[n] = a[n] * _window[n];
                _imaginary[n] = b is null ? 0 : b[n] * _window[n];
            }

            _fft.Forward(_real, _imaginary);

            // Periodogram normalised by N·Σw² so that bin sums read as mean square; one-sided, so
            // every bin but DC and Nyquist is doubled.
            double scale = 1.0 / (_windowPower * FftSize);
            for (int k = 0; k <= half; k++)
            {
                int mirror = k == 0 ? 0 : FftSize - k;
                double xk = (_real[k] * _real[k]) + (_imaginary[k] * _imaginary[k]);
                double xm = (_real[mirror] * _real[mirror]) + (_imaginary[mirror] * _imaginary[mirror]);
                double p = b is null ? xk : 0.5 * (xk + xm);
                _sum[k] += (k != 0 && k != half ? 2 * p : p) * scale;
            }
        }

        _frames++;
        _powerFrames = -1;
    }

    // The mean is formed when read, not after every frame: a long programme accumulates hundreds
    // of frames and is read once.
    private void UpdatePower()
    {
        if (_powerFrames == _frames)
        {
            return;
        }

        for (int k = 0; k < _sum.Length; k++)
        {
            _power[k] = _frames > 0 ? _sum[k] / _frames : 0;
        }

        _powerFrames = _frames;
    }
}
