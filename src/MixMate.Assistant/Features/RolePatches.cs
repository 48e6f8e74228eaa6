using MixMate.Assistant.Streaming;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Features;

/// <summary>
/// What the role model hears: <see cref="Patches"/> log-mel patches of a track, computed exactly
/// as <c>models/role_frontend.py</c> computes them for training (a test holds the two to
/// <c>models/role/patches_golden.json</c>).
/// <para>
/// The analysis grid is fixed in seconds and hertz, so 22.05, 44.1, 48 and 96 kHz give the same
/// picture: hop H = round(0.0232·fs), periodic-Hann window 2H zero-padded to the next power of
/// two N, power |X|²/(N·Σw²) (sums over bins to the frame's power whatever N is), 64 triangular
/// HTK-mel bands from 30 Hz to 11 kHz (below the Nyquist frequency of 22.05 kHz).
/// </para>
/// <para>
/// Patches of <see cref="Frames"/> frames start where the track plays: a frame is active when its
/// mean square is within 50 dB of the loudest frame's (relative, so a part at −40 dBFS is heard
/// like one at 0 dBFS); candidate starts every 16 frames whose frames are at least half active,
/// <see cref="Patches"/> of them taken evenly over the track. Each value is the band's dB minus
/// the dB of the patch's mean band power, clipped to [−80, +20] and divided by 20.
/// </para>
/// </summary>
public static class RolePatches
{
    /// <summary>Patches per track.</summary>
    public const int Patches = 8;

    /// <summary>Mel bands per frame.</summary>
    public const int Bands = 64;

    /// <summary>Frames per patch (about 3 s).</summary>
    public const int Frames = 128;

    /// <summary>Values written: patch-major, then band, then frame.</summary>
    public const int Count = Patches * Bands * Frames;

    /// <summary>Hop between frames in seconds.</summary>
    public const double HopSeconds = 0.0232;

    private const double MinHz = 30.0;
    private const double MaxHz = 11000.0;
    private const int CandidateStep = 16;
    private const double ActiveRangeDb = 50.0;
    private const double FloorDb = -80.0;
    private const double CeilingDb = 20.0;
    private const double ScaleDb = 20.0;
    private const double Tiny = 1e-30;

    /// <summary>[any thread] The analysis grid for a sample rate: hop, window and FFT size in samples.</summary>
    public static (int Hop, int Window, int FftSize) Grid(double sampleRate)
    {
        int hop = (int)Math.Floor((HopSeconds * sampleRate) + 0.5);
        int window = 2 * hop;
        int n = 1;
        while (n < window)
        {
            n *= 2;
        }

        return (hop, window, n);
    }

    /// <summary>
    /// [analysis thread] Computes the patches of <paramref name="audio"/> into
    /// <paramref name="destination"/> (≥ <see cref="Count"/> values). Returns false, leaving the
    /// destination untouched, for digital silence. Working memory is one level per frame and the
    /// spectra of the chosen patches; the audio is read where the patches fall.
    /// </summary>
    public static bool Compute(AudioBlock audio, double sampleRate, Span<float> destination)
    {
        CheckDestination(destination);
        if (audio.IsEmpty)
        {
            return false;
        }

        var plan = new RolePatchPlan(sampleRate);
        plan.Add(audio);
        int[]? starts = plan.Starts();
        if (starts is null)
        {
            return false;
        }

        var maker = new PatchMaker(sampleRate);
        for (int p = 0; p < Patches; p++)
        {
            Span<float> patch = destination.Slice(p * Bands * Frames, Bands * Frames);
            int same = Array.IndexOf(starts, starts[p], 0, p);
            if (same >= 0)
            {
                destination.Slice(same * Bands * Frames, Bands * Frames).CopyTo(patch);
                continue;
            }

            long first = Math.Min(plan.SegmentStart(starts[p]), audio.Frames);
            int length = (int)Math.Min(audio.Frames - first, plan.SegmentLength);
            maker.Make(audio.Slice((int)first, length), patch);
        }

        return true;
    }

    /// <summary>
    /// [analysis thread] The second pass of a streamed track: <paramref name="plan"/> was fed every
    /// block of <paramref name="source"/> (<paramref name="frames"/> frames in all) on a first pass;
    /// this reads the source once more from its start, keeps only the audio where the patches fall
    /// (at most <see cref="Patches"/> segments of about 3 s) and computes the patches exactly as
    /// <see cref="Compute(AudioBlock, double, Span{float})"/> does on the whole track. Returns false for digital silence.
    /// </summary>
    public static bool Compute(RolePatchPlan plan, IAudioSource source, long frames, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(source);
        CheckDestination(destination);
        if (frames == 0 || source.Channels == 0)
        {
            return false;
        }

        int[]? starts = plan.Starts();
        if (starts is null)
        {
            return false;
        }

        // Each distinct patch's segment: [first, first + length) of the track.
        int channels = source.Channels;
        var first = new long[Patches];
        var length = new int[Patches];
        var segments = new float[Patches][];
        for (int p = 0; p < Patches; p++)
        {
            if (Array.IndexOf(starts, starts[p], 0, p) >= 0)
            {
                continue;
            }

            first[p] = Math.Min(plan.SegmentStart(starts[p]), frames);
            length[p] = (int)Math.Min(frames - first[p], plan.SegmentLength);
            segments[p] = new float[channels * Math.Max(1, length[p])];
        }

        const int Step = 16384;
        var samples = new float[Step * channels];
        var block = new AudioBlock(samples, channels, Step, Step);
        source.Rewind();
        long position = 0;
        long end = 0;
        for (int p = 0; p < Patches; p++)
        {
            end = segments[p] is null ? end : Math.Max(end, first[p] + length[p]);
        }

        int read;
        while (position < end && (read = source.Read(block)) > 0)
        {
            for (int p = 0; p < Patches; p++)
            {
                if (segments[p] is not float[] segment)
                {
                    continue;
                }

                long from = Math.Max(position, first[p]);
                long to = Math.Min(position + read, first[p] + length[p]);
                for (int c = 0; c < channels && from < to; c++)
                {
                    block[c].Slice((int)(from - position), (int)(to - from)).CopyTo(segment.AsSpan((c * length[p]) + (int)(from - first[p])));
                }
            }

            position += read;
        }

        var maker = new PatchMaker(source.SampleRate);
        for (int p = 0; p < Patches; p++)
        {
            Span<float> patch = destination.Slice(p * Bands * Frames, Bands * Frames);
            int same = Array.IndexOf(starts, starts[p], 0, p);
            if (same >= 0)
            {
                destination.Slice(same * Bands * Frames, Bands * Frames).CopyTo(patch);
                continue;
            }

            maker.Make(new AudioBlock(segments[p], channels, length[p], length[p]), patch);
        }

        return true;
    }

    /// <summary>
    /// [analysis thread] One patch from <paramref name="segment"/>, the audio that starts at the
    /// patch's first frame (<see cref="RolePatchPlan.SegmentStart"/>; shorter at the end of a
    /// track, zero-padded), into <paramref name="patch"/> (<see cref="Bands"/>·<see cref="Frames"/>
    /// values). For callers that stream a long file: plan on a first pass, read the eight segments
    /// on a second.
    /// </summary>
    public static void ComputePatch(AudioBlock segment, double sampleRate, Span<float> patch) =>
        new PatchMaker(sampleRate).Make(segment, patch);

    /// <summary>[any thread] The patch starts for the frame levels (null for digital silence).</summary>
    internal static int[]? PatchStarts(IReadOnlyList<double> levels)
    {
        int frames = levels.Count;
        double top = levels.Max();
        if (top <= 0)
        {
            return null;
        }

        double threshold = top * Math.Pow(10.0, -ActiveRangeDb / 10.0);
        int last = Math.Max(0, frames - Frames);
        int need = Math.Min(Frames, frames);
        var starts = new List<int>();
        var counts = new List<int>();
        int active = 0;
        for (int s = 0; s <= last; s += CandidateStep)
        {
            active = 0;
            for (int t = s; t < Math.Min(frames, s + Frames); t++)
            {
                active += levels[t] > threshold ? 1 : 0;
            }

            starts.Add(s);
            counts.Add(active);
        }

        var keep = new List<int>();
        for (int i = 0; i < starts.Count; i++)
        {
            if (2 * counts[i] >= need)
            {
                keep.Add(starts[i]);
            }
        }

        if (keep.Count == 0)
        {
            int best = counts.Max();
            for (int i = 0; i < starts.Count; i++)
            {
                if (counts[i] == best)
                {
                    keep.Add(starts[i]);
                }
            }
        }

        int n = keep.Count;
        int[] chosen = new int[Patches];
        for (int i = 0; i < Patches; i++)
        {
            chosen[i] = keep[((2 * i * (n - 1)) + Patches - 1) / (2 * (Patches - 1))];
        }

        return chosen;
    }

    private static (int[] First, double[][] Weights) MelBank(double sampleRate, int n)
    {
        double lo = HzToMel(MinHz);
        double hi = HzToMel(MaxHz);
        double[] edges = new double[Bands + 2];
        for (int i = 0; i < edges.Length; i++)
        {
            edges[i] = MelToHz(lo + ((hi - lo) * i / (Bands + 1)));
        }

        int bins = (n / 2) + 1;
        int[] first = new int[Bands];
        double[][] weights = new double[Bands][];
        for (int b = 0; b < Bands; b++)
        {
            double l = edges[b];
            double c = edges[b + 1];
            double h = edges[b + 2];
            first[b] = (int)Math.Ceiling(l * n / sampleRate);
            int lastBin = Math.Min(bins - 1, (int)Math.Floor(h * n / sampleRate));
            weights[b] = new double[Math.Max(0, lastBin - first[b] + 1)];
            for (int k = first[b]; k <= lastBin; k++)
            {
                double f = k * sampleRate / n;
                weights[b][k - first[b]] = Math.Max(0.0, Math.Min((f - l) / (c - l), (h - f) / (h - c)));
            }
        }

        return (first, weights);
    }

    private static double HzToMel(double hz) => 2595.0 * Math.Log10(1.0 + (hz / 700.0));

    private static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    private static void CheckDestination(Span<float> destination)
    {
        if (destination.Length < Count)
        {
            throw new ArgumentException($"Need room for {Count} values.", nameof(destination));
        }
    }

    /// <summary>Window, mel bank and FFT for one sample rate; turns a segment into a patch.</summary>
    private sealed class PatchMaker
    {
        private readonly int _hop;
        private readonly double[] _window;
        private readonly double _norm;
        private readonly int[] _first;
        private readonly double[][] _weights;
        private readonly Fft _fft;
        private readonly double[] _re;
        private readonly double[] _im;
        private readonly double[] _mel = new double[Bands * Frames];

        public PatchMaker(double sampleRate)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
            (int hop, int window, int n) = Grid(sampleRate);
            _hop = hop;
            _window = new double[window];
            double sumW2 = 0;
            for (int i = 0; i < window; i++)
            {
                _window[i] = 0.5 - (0.5 * Math.Cos(2.0 * Math.PI * i / window));
                sumW2 += _window[i] * _window[i];
            }

            _norm = n * sumW2;
            (_first, _weights) = MelBank(sampleRate, n);
            _fft = new Fft(n);
            _re = new double[n];
            _im = new double[n];
        }

        public void Make(AudioBlock segment, Span<float> patch)
        {
            double scale = segment.Channels > 0 ? 1.0 / segment.Channels : 0;
            double total = 0;
            for (int t = 0; t < Frames; t++)
            {
                int a = t * _hop;
                Array.Clear(_re);
                Array.Clear(_im);
                int available = Math.Clamp(segment.Frames - a, 0, _window.Length);
                for (int c = 0; c < segment.Channels; c++)
                {
                    Span<float> channel = segment[c];
                    for (int i = 0; i < available; i++)
                    {
                        _re[i] += channel[a + i];
                    }
                }

                for (int i = 0; i < available; i++)
                {
                    _re[i] = _re[i] * scale * _window[i];
                }

                _fft.Forward(_re, _im);
                for (int b = 0; b < Bands; b++)
                {
                    double s = 0;
                    double[] wb = _weights[b];
                    for (int k = 0; k < wb.Length; k++)
                    {
                        int bin = _first[b] + k;
                        s += ((_re[bin] * _re[bin]) + (_im[bin] * _im[bin])) / _norm * wb[k];
                    }

                    _mel[(b * Frames) + t] = s;
                    total += s;
                }
            }

            double reference = 10.0 * Math.Log10((total / _mel.Length) + Tiny);
            for (int i = 0; i < _mel.Length; i++)
            {
                double db = (10.0 * Math.Log10(_mel[i] + Tiny)) - reference;
                patch[i] = (float)(Math.Clamp(db, FloorDb, CeilingDb) / ScaleDb);
            }
        }
    }
}
