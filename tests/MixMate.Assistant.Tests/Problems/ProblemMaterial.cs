using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Mastering;
using MixMate.TestSupport;

namespace MixMate.Assistant.Tests.Problems;

/// <summary>
/// Clean programmes for the problem checks, made here from their definitions, and the problems
/// inserted into them at known times. Audio is planar: <c>float[channel][frame]</c>.
/// </summary>
internal static class ProblemMaterial
{
    public const int Rate = 44100;

    private static readonly Lazy<float[][]> s_music = new(() => ComposeMusic(30, 11));
    private static readonly Lazy<float[][]> s_master = new(() => LoudMaster(s_music.Value, -9.5));

    /// <summary>30 s of composed music (not limited, about −20 LUFS).</summary>
    public static float[][] Music => Copy(s_music.Value);

    /// <summary>The music through MixMate's own master chain: limited to −1 dBTP, about −9.5 LUFS.</summary>
    public static float[][] Master => Copy(s_master.Value);

    /// <summary>Independent pink noise per channel, 30 s at −20 dBFS RMS.</summary>
    public static float[][] PinkNoise(int seed = 5) =>
        [Signals.PinkNoise(Rate * 30, 0.1, seed), Signals.PinkNoise(Rate * 30, 0.1, seed + 1)];

    /// <summary>
    /// A four-bar loop at 120 bpm played for <paramref name="seconds"/>: kick (a falling sine), snare
    /// and hi-hat (shaped noise), a bass line (A1 F1 C2 G1 with harmonics), chords panned apart,
    /// and a lead with vibrato — dense, wide but mono-compatible, like a pop mix.
    /// </summary>
    public static float[][] ComposeMusic(double seconds, int seed)
    {
        int n = (int)(seconds * Rate);
        var l = new float[n];
        var r = new float[n];
        var random = new Random(seed);
        double beat = 0.5;
        double[] bassHz = [55.0, 43.65, 65.41, 49.0];
        double[][] chords = [[220, 261.6, 329.6], [174.6, 220, 261.6], [261.6, 329.6, 392], [196, 246.9, 293.7]];
        double[] melody = [659.3, 587.3, 523.3, 587.3, 659.3, 784, 659.3, 587.3];
        double hatState = 0, snareState = 0;
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / Rate;
            int beatIndex = (int)(t / beat);
            double tb = t - (beatIndex * beat);
            int bar = (int)(t / (4 * beat)) % 4;

            double kick = beatIndex % 2 == 0 ? 0.9 * Math.Exp(-tb * 18) * Math.Sin(2 * Math.PI * (45 * tb + (60 * (1 - Math.Exp(-tb * 30)) / 30))) : 0;
            double white = (random.NextDouble() * 2) - 1;
            snareState = (0.6 * snareState) + (0.4 * white);
            double snare = beatIndex % 2 == 1 ? 0.35 * Math.Exp(-tb * 25) * (white - snareState) : 0;
            hatState = (0.2 * hatState) + white;
            double th = t - (Math.Floor(t / (beat / 2)) * (beat / 2));
            double hat = 0.08 * Math.Exp(-th * 60) * (white - (0.8 * hatState / 1.25));

            double f = bassHz[bar];
            double tn = t % beat;
            double bassEnv = Math.Min(1, tn * 200) * Math.Exp(-tn * 2);
            double bass = 0.35 * bassEnv * (Math.Sin(2 * Math.PI * f * t) + (0.5 * Math.Sin(4 * Math.PI * f * t)) + (0.25 * Math.Sin(6 * Math.PI * f * t)));

            double chordL = 0, chordR = 0;
            foreach (double cf in chords[bar])
            {
                chordL += Math.Sin(2 * Math.PI * cf * 1.002 * t) + (0.3 * Math.Sin(4 * Math.PI * cf * t));
                chordR += Math.Sin(2 * Math.PI * cf * 0.998 * t) + (0.3 * Math.Sin(4 * Math.PI * cf * 1.001 * t));
            }

            double tc = t % (4 * beat);
            double chordEnv = 0.05 * Math.Min(1, tc * 20) * Math.Exp(-tc * 0.5);
            int note = (int)(t / (beat / 2)) % melody.Length;
            double tl = t % (beat / 2);
            double vib = 1 + (0.004 * Math.Sin(2 * Math.PI * 5.5 * t));
            double lead = 0.07 * Math.Min(1, tl * 100) * Math.Exp(-tl * 4) *
                (Math.Sin(2 * Math.PI * melody[note] * vib * t) + (0.4 * Math.Sin(4 * Math.PI * melody[note] * vib * t)));

            double centre = kick + snare + bass;
            double fade = Math.Clamp((seconds - t) / 1.5, 0, 1); // a 1.5 s fade-out at the end
            centre *= fade;
            chordL *= fade;
            chordR *= fade;
            lead *= fade;
            hat *= fade;
            l[i] = (float)((0.5 * centre) + (chordL * chordEnv) + (0.6 * lead) + (0.8 * hat));
            r[i] = (float)((0.5 * centre) + (chordR * chordEnv) + (0.4 * lead) + (1.0 * hat));
        }

        return [l, r];
    }

    /// <summary>Masters <paramref name="music"/> with <see cref="MasterChain"/> (gain into a −1 dBTP
    /// true-peak limiter) to about <paramref name="lufs"/>.</summary>
    public static float[][] LoudMaster(float[][] music, double lufs)
    {
        double before = Integrated(music);
        double gain = lufs - before + 2.0; // the limiter takes back about 2 dB at this density
        float[][] output = Copy(music);
        var chain = new MasterChain();
        chain.Limiter.CeilingDbtp = -1;
        chain.Configure(Rate, 2, 4096);
        chain.GainDb = gain;
        chain.Reset();
        int frames = output[0].Length;
        var planar = new float[2 * frames];
        output[0].CopyTo(planar, 0);
        output[1].CopyTo(planar, frames);
        var block = new AudioBlock(planar, 2, frames, frames);
        for (int start = 0; start < frames; start += 4096)
        {
            chain.Process(block.Slice(start, Math.Min(4096, frames - start)));
        }

        // Compensate the limiter's look-ahead so inserted problems keep their times.
        int latency = chain.LatencySamples;
        for (int c = 0; c < 2; c++)
        {
            Array.Copy(planar, (c * frames) + latency, output[c], 0, frames - latency);
            Array.Clear(output[c], frames - latency, latency);
        }

        return output;
    }

    /// <summary>BS.1770-4 integrated loudness of planar audio.</summary>
    public static double Integrated(float[][] audio)
    {
        using var meter = new LoudnessMeter();
        meter.Configure(Rate, audio.Length, 4096);
        int frames = audio[0].Length;
        var planar = new float[audio.Length * frames];
        for (int c = 0; c < audio.Length; c++)
        {
            audio[c].CopyTo(planar, c * frames);
        }

        var block = new AudioBlock(planar, audio.Length, frames, frames);
        for (int start = 0; start < frames; start += 4096)
        {
            meter.Process(block.Slice(start, Math.Min(4096, frames - start)));
        }

        return meter.IntegratedLufs;
    }

    public static float[][] Copy(float[][] audio) => [.. audio.Select(c => (float[])c.Clone())];

    public static int At(double seconds) => (int)Math.Round(seconds * Rate);

    /// <summary>Gain of <paramref name="gain"/> from <paramref name="from"/> to <paramref name="to"/>
    /// seconds, then hard clipping at ±<paramref name="clipAt"/>.</summary>
    public static void Clip(float[][] audio, double from, double to, double gain, float clipAt = 1f)
    {
        foreach (float[] x in audio)
        {
            for (int i = At(from); i < At(to); i++)
            {
                x[i] = Math.Clamp((float)(x[i] * gain), -clipAt, clipAt);
            }
        }
    }

    public static void Gain(float[][] audio, double gain, int channel = -1, double from = 0, double to = double.MaxValue)
    {
        for (int c = 0; c < audio.Length; c++)
        {
            if (channel >= 0 && c != channel)
            {
                continue;
            }

            for (int i = At(from); i < Math.Min(audio[c].Length, to == double.MaxValue ? int.MaxValue : At(to)); i++)
            {
                audio[c][i] = (float)(audio[c][i] * gain);
            }
        }
    }

    public static void AddDc(float[][] audio, float offset, double from = 0, double to = double.MaxValue)
    {
        foreach (float[] x in audio)
        {
            for (int i = At(from); i < Math.Min(x.Length, to == double.MaxValue ? int.MaxValue : At(to)); i++)
            {
                x[i] += offset;
            }
        }
    }

    /// <summary>Mains hum: <paramref name="hz"/> and its 2nd and 3rd harmonics (−6, −10 dB) at
    /// <paramref name="dbfs"/> peak, on both channels, from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void AddHum(float[][] audio, double hz, double dbfs, double from, double to)
    {
        double a = Decibels.ToGain(dbfs);
        foreach (float[] x in audio)
        {
            for (int i = At(from); i < Math.Min(x.Length, At(to)); i++)
            {
                double t = (double)i / Rate;
                x[i] += (float)(a * (Math.Sin(2 * Math.PI * hz * t) + (0.5 * Math.Sin(4 * Math.PI * hz * t)) + (0.3 * Math.Sin(6 * Math.PI * hz * t))));
            }
        }
    }

    /// <summary>A click: a two-sample impulse of <paramref name="amplitude"/> on every channel.</summary>
    public static void AddClick(float[][] audio, double at, float amplitude)
    {
        foreach (float[] x in audio)
        {
            x[At(at)] += amplitude;
            x[At(at) + 1] -= amplitude * 0.5f;
        }
    }

    public static float[][] PrependSilence(float[][] audio, double seconds) =>
        [.. audio.Select(x => new float[At(seconds)].Concat(x).ToArray())];

    public static float[][] Cut(float[][] audio, double seconds) => [.. audio.Select(x => x[..At(seconds)])];
}
