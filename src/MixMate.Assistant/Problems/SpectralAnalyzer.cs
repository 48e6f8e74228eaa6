using System.Globalization;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Problems;

/// <summary>
/// Full-band spectra of the mid signal (mean of the first two channels) in 4096-point Hann frames
/// laid end to end (two frames per complex transform): persistent narrow resonances in the
/// average spectrum of every 10 s chunk, and sibilant bursts (4.5–10 kHz louder than
/// 200 Hz–4.5 kHz for one frame, well above the frames around it).
/// </summary>
/// <remarks>[any thread, one caller] Memory: fixed buffers plus one averaged spectrum per 10 s
/// chunk and two numbers per frame.</remarks>
internal sealed class SpectralAnalyzer
{
    /// <summary>A resonance stands this far above the third-octave around it (12 dB).</summary>
    public const double ResonanceDb = 12;

    /// <summary>…in at least this share of the chunks.</summary>
    public const double ResonanceShare = 0.8;

    /// <summary>Sibilance band over body band for a frame to be sibilant (0 dB) …</summary>
    public const double SibilanceDb = 0;

    /// <summary>…and this far above the median of the frames within ±1 s (8 dB).</summary>
    public const double SibilanceBurstDb = 8;

    /// <summary>Bursts needed before sibilance is reported.</summary>
    public const int SibilanceMinimumBursts = 8;

    private const int FftSize = 4096;
    private const double ChunkSeconds = 10;

    private readonly int _channels;
    private readonly double _sampleRate;
    private readonly double _binHz;
    private readonly Fft _fft = new(FftSize);
    private readonly double[] _window;
    private readonly double _windowPower;
    private readonly float[] _pair = new float[2 * FftSize];
    private int _fill;
    private readonly double[] _re = new double[FftSize];
    private readonly double[] _im = new double[FftSize];
    private readonly int _framesPerChunk;
    private double[] _chunk;
    private int _chunkFrames;
    private readonly List<double[]> _chunks = [];
    private readonly List<(float Body, float Sibilant)> _frameBands = [];
    private readonly int _bodyFrom, _bodyTo, _sibTo;

    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="channels">Channel count (the first two are analysed).</param>
    public SpectralAnalyzer(double sampleRate, int channels)
    {
        _channels = Math.Min(2, channels);
        _sampleRate = sampleRate;
        _binHz = sampleRate / FftSize;
        _window = new double[FftSize];
        for (int n = 0; n < FftSize; n++)
        {
            _window[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / FftSize));
            _windowPower += _window[n] * _window[n];
        }

        _framesPerChunk = Math.Max(1, (int)Math.Round(ChunkSeconds * sampleRate / FftSize));
        _chunk = new double[(FftSize / 2) + 1];
        _bodyFrom = (int)Math.Round(200 / _binHz);
        _bodyTo = Math.Min(FftSize / 2, (int)Math.Round(4500 / _binHz));
        _sibTo = Math.Min(FftSize / 2, (int)Math.Round(10000 / _binHz));
    }

    /// <summary>Seconds per frame.</summary>
    public double FrameSeconds => FftSize / _sampleRate;

    /// <summary>[any thread, one caller] Feeds the next block.</summary>
    public void Process(AudioBlock block)
    {
        if (_channels == 0)
        {
            return;
        }

        ReadOnlySpan<float> left = block[0];
        ReadOnlySpan<float> right = _channels > 1 ? block[1] : block[0];
        int pos = 0;
        while (pos < block.Frames)
        {
            int take = Math.Min(_pair.Length - _fill, block.Frames - pos);
            Span<float> into = _pair.AsSpan(_fill, take);
            for (int i = 0; i < take; i++)
            {
                into[i] = 0.5f * (left[pos + i] + right[pos + i]);
            }

            _fill += take;
            pos += take;
            if (_fill == _pair.Length)
            {
                AnalysePair();
                _fill = 0;
            }
        }
    }

    /// <summary>[any thread, one caller] Resonances after the last block; lines within a bin of
    /// <paramref name="excludedHz"/> (hum already reported) are left out.</summary>
    public IEnumerable<Problem> FindResonances(IReadOnlyList<double> excludedHz)
    {
        FlushChunk(final: true);
        var problems = new List<Problem>();
        var active = _chunks.Where(c => c.Sum() > 1e-9).ToList();
        if (active.Count < 3)
        {
            return problems;
        }

        int lo = (int)Math.Round(150 / _binHz);
        int hi = Math.Min(FftSize / 2 - 4, (int)Math.Round(12000 / _binHz));
        var counts = new int[(FftSize / 2) + 1];
        var excess = new List<double>[(FftSize / 2) + 1];
        var db = new double[(FftSize / 2) + 1];
        var prefix = new double[db.Length + 1];
        foreach (double[] chunk in active)
        {
            for (int k = 0; k < db.Length; k++)
            {
                db[k] = 10 * Math.Log10(Math.Max(chunk[k], 1e-30));
                prefix[k + 1] = prefix[k] + db[k];
            }

            var found = new bool[db.Length];
            for (int k = lo; k <= hi; k++)
            {
                double line = 10 * Math.Log10(Math.Max((chunk[k - 1] + chunk[k] + chunk[k + 1]) / 3, 1e-30));
                int a = Math.Max(1, (int)(k / 1.12));
                int b = Math.Min(db.Length - 1, (int)Math.Ceiling(k * 1.12));
                int inner0 = Math.Max(a, k - 3), inner1 = Math.Min(b, k + 3);
                double sum = (prefix[b + 1] - prefix[a]) - (prefix[inner1 + 1] - prefix[inner0]);
                int n = (b - a + 1) - (inner1 - inner0 + 1);
                if (n < 4)
                {
                    continue;
                }

                double e = line - (sum / n);
                if (e >= ResonanceDb && line >= -80 && db[k] >= db[k - 1] && db[k] >= db[k + 1])
                {
                    found[k] = true;
                    (excess[k] ??= []).Add(e);
                }
            }

            for (int k = lo; k <= hi; k++)
            {
                if (found[k] || found[k - 1] || found[k + 1])
                {
                    counts[k]++;
                }
            }
        }

        int needed = Math.Max(3, (int)Math.Ceiling(ResonanceShare * active.Count));
        int last = -10;
        for (int k = lo; k <= hi; k++)
        {
            if (counts[k] < needed || k - last <= 3 || counts[k] < counts[k - 1] || counts[k] < counts[k + 1])
            {
                continue;
            }

            double hz = k * _binHz;
            if (excludedHz.Any(x => Math.Abs(x - hz) <= 2 * _binHz))
            {
                continue;
            }

            var values = new List<double>();
            for (int j = k - 1; j <= k + 1; j++)
            {
                values.AddRange(excess[j] ?? []);
            }

            values.Sort();
            double median = values.Count > 0 ? values[values.Count / 2] : ResonanceDb;
            last = k;
            problems.Add(new Problem(
                ProblemKind.Resonance, ProblemSeverity.Info, null, null, median, ResonanceDb, "dB",
                "MixMate: a spectral line 12 dB above the ±1/6-octave average around it in at least 80 % of the 10 s chunks",
                string.Create(CultureInfo.InvariantCulture, $"a narrow resonance at {hz:0} Hz rings {median:0} dB above the spectrum around it all through the programme"),
                string.Create(CultureInfo.InvariantCulture, $"cut {hz:0} Hz with a narrow EQ (Q 8 or more, a few dB) on the track that rings")));
            if (problems.Count >= 5)
            {
                break;
            }
        }

        return problems;
    }

    /// <summary>[any thread, one caller] Sibilance after the last block.</summary>
    public Problem? FindSibilance()
    {
        int n = _frameBands.Count;
        if (n < 5)
        {
            return null;
        }

        var ratio = new double[n];
        for (int i = 0; i < n; i++)
        {
            ratio[i] = 10 * Math.Log10(Math.Max(_frameBands[i].Sibilant, 1e-20f) / Math.Max(_frameBands[i].Body, 1e-20f));
        }

        int around = Math.Max(2, (int)Math.Round(1.0 / FrameSeconds));
        var bursts = new List<double>();
        double strongest = double.NegativeInfinity;
        var local = new List<double>(2 * around + 1);
        for (int i = 0; i < n; i++)
        {
            double level = 10 * Math.Log10(Math.Max(_frameBands[i].Sibilant, 1e-20f));
            if (ratio[i] < SibilanceDb || level < -50)
            {
                continue;
            }

            local.Clear();
            for (int j = Math.Max(0, i - around); j < Math.Min(n, i + around + 1); j++)
            {
                local.Add(ratio[j]);
            }

            local.Sort();
            if (ratio[i] - local[local.Count / 2] >= SibilanceBurstDb)
            {
                bursts.Add(i * FrameSeconds);
                strongest = Math.Max(strongest, ratio[i]);
            }
        }

        if (bursts.Count < SibilanceMinimumBursts)
        {
            return null;
        }

        string times = string.Join(", ", bursts.Take(5).Select(t => t.ToString("0.0", CultureInfo.InvariantCulture) + " s"));
        return new Problem(
            ProblemKind.Sibilance, ProblemSeverity.Info, null, null, strongest, SibilanceDb, "dB",
            "MixMate: 4.5–10 kHz louder than 200 Hz–4.5 kHz in a 93 ms frame and 8 dB above the frames within ±1 s, at least 8 times",
            string.Create(CultureInfo.InvariantCulture, $"{bursts.Count} sharp bursts of 4.5–10 kHz (sibilance), e.g. at {times}"),
            "de-ess the vocal (a split-band compressor around 5–8 kHz) or lower the high shelf a little");
    }

    private void AnalysePair()
    {
        for (int n = 0; n < FftSize; n++)
        {
            _re[n] = _pair[n] * _window[n];
            _im[n] = _pair[FftSize + n] * _window[n];
        }

        _fft.Forward(_re, _im);
        double scale = 2.0 / (FftSize * _windowPower);
        for (int half = 0; half < 2; half++)
        {
            double body = 0, sib = 0;
            for (int k = 1; k <= FftSize / 2; k++)
            {
                int m = (FftSize - k) & (FftSize - 1);
                // Z = A + iB: A[k] = (Z[k] + conj Z[N−k]) / 2, B[k] = (Z[k] − conj Z[N−k]) / 2i.
                double re = half == 0 ? 0.5 * (_re[k] + _re[m]) : 0.5 * (_im[k] + _im[m]);
                double im = half == 0 ? 0.5 * (_im[k] - _im[m]) : 0.5 * (_re[m] - _re[k]);
                double p = ((re * re) + (im * im)) * scale;
                _chunk[k] += p;
                if (k >= _bodyFrom && k < _bodyTo)
                {
                    body += p;
                }
                else if (k >= _bodyTo && k < _sibTo)
                {
                    sib += p;
                }
            }

            _frameBands.Add(((float)body, (float)sib));
            if (++_chunkFrames >= _framesPerChunk)
            {
                FlushChunk(final: false);
            }
        }
    }

    private void FlushChunk(bool final)
    {
        if (_chunkFrames == 0 || (final && _chunkFrames < _framesPerChunk / 2))
        {
            _chunkFrames = 0;
            return;
        }

        for (int k = 0; k < _chunk.Length; k++)
        {
            _chunk[k] /= _chunkFrames;
        }

        _chunks.Add(_chunk);
        _chunk = new double[_chunk.Length];
        _chunkFrames = 0;
    }
}
