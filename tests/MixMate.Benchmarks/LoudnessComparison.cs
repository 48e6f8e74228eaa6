using System.Globalization;
using MixMate.Dsp;
using MixMate.Dsp.Loudness;
using MixMate.TestSupport;

namespace MixMate.Benchmarks;

/// <summary>One full analysis (integrated, LRA, true peak, sample peak), as both meters report it.</summary>
internal readonly record struct LoudnessFigures(double IntegratedLufs, double LoudnessRangeLu, double TruePeakDbtp, double SamplePeakDbfs)
{
    public double Checksum => IntegratedLufs + LoudnessRangeLu + TruePeakDbtp + SamplePeakDbfs;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"I {IntegratedLufs:0.000} LUFS, LRA {LoudnessRangeLu:0.000} LU, TP {TruePeakDbtp:0.000} dBTP, SP {SamplePeakDbfs:0.000} dBFS");
}

/// <summary>
/// The two analyses the Issue 2 benchmark times, and the agreement check that makes the timing
/// meaningful: both must report the same programme figures.
/// </summary>
internal static class LoudnessComparison
{
    /// <summary>Integrated loudness agreement demanded (our tests hold 1e-9 on synthetic signals).</summary>
    public const double IntegratedToleranceLu = 0.05;

    /// <summary>LRA agreement with libebur128's once-per-second short-term sampling.</summary>
    public const double RangeToleranceLu = 0.1;

    /// <summary>True-peak agreement (both interpolate 4× at 44.1 kHz; the filters differ).</summary>
    public const double TruePeakToleranceDb = 0.1;

    /// <summary>Sample-peak agreement: the same samples, so exact up to float rounding.</summary>
    public const double SamplePeakToleranceDb = 1e-4;

    /// <summary>libebur128 modes of a full analysis (each mode ORs in those it needs).</summary>
    public const int FullMode = Ebur128.ModeI | Ebur128.ModeLra | Ebur128.ModeTruePeak | Ebur128.ModeSamplePeak;

    /// <summary>[one thread] MixMate's analysis, fed in <paramref name="chunk"/>-frame blocks.</summary>
    public static LoudnessFigures MeasureOurs(LoudnessMeter meter, AudioBlock programme, double sampleRate, int chunk)
    {
        meter.Configure(sampleRate, programme.Channels, chunk);
        for (int start = 0; start < programme.Frames; start += chunk)
        {
            meter.Process(programme.Slice(start, Math.Min(chunk, programme.Frames - start)));
        }

        meter.Flush();
        return new LoudnessFigures(meter.IntegratedLufs, meter.LoudnessRangeLu, meter.TruePeakDbtp, meter.SamplePeakDbfs);
    }

    /// <summary>[one thread] libebur128's analysis of interleaved audio, in <paramref name="chunk"/>-frame calls.</summary>
    public static unsafe LoudnessFigures MeasureLibebur128(float[] interleaved, int channels, int sampleRate, int chunk, int mode = FullMode)
    {
        nint state = Ebur128.Init((uint)channels, (nuint)sampleRate, mode);
        if (state == 0)
        {
            throw new InvalidOperationException("ebur128_init failed.");
        }

        try
        {
            long frames = interleaved.Length / channels;
            fixed (float* samples = interleaved)
            {
                for (long start = 0; start < frames; start += chunk)
                {
                    Check(Ebur128.AddFramesFloat(state, samples + (start * channels), (nuint)Math.Min(chunk, frames - start)));
                }
            }

            double integrated = double.NaN, range = double.NaN;
            if ((mode & Ebur128.ModeI) == Ebur128.ModeI)
            {
                Check(Ebur128.LoudnessGlobal(state, out integrated));
            }

            if ((mode & Ebur128.ModeLra) == Ebur128.ModeLra)
            {
                Check(Ebur128.LoudnessRange(state, out range));
            }

            double truePeak = 0, samplePeak = 0;
            for (uint c = 0; c < channels; c++)
            {
                if ((mode & Ebur128.ModeTruePeak) == Ebur128.ModeTruePeak)
                {
                    Check(Ebur128.TruePeak(state, c, out double tp));
                    truePeak = Math.Max(truePeak, tp);
                }

                if ((mode & Ebur128.ModeSamplePeak) == Ebur128.ModeSamplePeak)
                {
                    Check(Ebur128.SamplePeak(state, c, out double sp));
                    samplePeak = Math.Max(samplePeak, sp);
                }
            }

            return new LoudnessFigures(integrated, range, Decibels.FromGain(truePeak), Decibels.FromGain(samplePeak));
        }
        finally
        {
            Ebur128.Destroy(ref state);
        }
    }

    /// <summary>[one thread] Measures the programme with both meters, prints the figures and
    /// throws when they disagree beyond the tolerances above. Returns the report lines.</summary>
    public static IReadOnlyList<string> VerifyAgreement()
    {
        var planar = LoudnessMaterial.Planar;
        float[] interleaved = LoudnessMaterial.Interleaved;
        int chunk = LoudnessMaterial.ChunkFrames;
        LoudnessFigures theirs = MeasureLibebur128(interleaved, planar.Channels, (int)planar.SampleRate, chunk);
        LoudnessFigures ours = MeasureOurs(new LoudnessMeter(), planar.Block, planar.SampleRate, chunk);
        LoudnessFigures oursPerSecond = MeasureOurs(new LoudnessMeter { LraSampling = LoudnessRangeSampling.EverySecond }, planar.Block, planar.SampleRate, chunk);

        Ebur128.GetVersion(out int major, out int minor, out int patch);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"programme: {planar.DurationSeconds:0.0} s, {planar.Channels} ch, {planar.SampleRate} Hz"),
            $"libebur128 {major}.{minor}.{patch}:             {theirs}",
            $"MixMate (LRA 10 Hz, Tech 3342): {ours}",
            $"MixMate (LRA 1 Hz, as libebur128): {oursPerSecond}",
        };

        var failures = new List<string>();
        Compare("integrated", theirs.IntegratedLufs, ours.IntegratedLufs, IntegratedToleranceLu, failures);
        Compare("LRA (1 Hz sampling)", theirs.LoudnessRangeLu, oursPerSecond.LoudnessRangeLu, RangeToleranceLu, failures);
        Compare("true peak", theirs.TruePeakDbtp, ours.TruePeakDbtp, TruePeakToleranceDb, failures);
        Compare("sample peak", theirs.SamplePeakDbfs, ours.SamplePeakDbfs, SamplePeakToleranceDb, failures);
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"deltas (ours − libebur128): I {ours.IntegratedLufs - theirs.IntegratedLufs:+0.0000;-0.0000} LU, LRA(1 Hz) {oursPerSecond.LoudnessRangeLu - theirs.LoudnessRangeLu:+0.0000;-0.0000} LU, "
            + $"TP {ours.TruePeakDbtp - theirs.TruePeakDbtp:+0.0000;-0.0000} dB, SP {ours.SamplePeakDbfs - theirs.SamplePeakDbfs:+0.0000;-0.0000} dB"));
        foreach (string line in lines)
        {
            Console.WriteLine(line);
        }

        if (failures.Count > 0)
        {
            throw new InvalidOperationException("MixMate and libebur128 disagree: " + string.Join("; ", failures));
        }

        return lines;
    }

    private static void Compare(string what, double reference, double actual, double tolerance, List<string> failures)
    {
        if (!(Math.Abs(actual - reference) <= tolerance))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: {actual:0.0000} vs {reference:0.0000} (tolerance {tolerance})"));
        }
    }

    private static void Check(int status)
    {
        if (status != Ebur128.Success)
        {
            throw new InvalidOperationException($"libebur128 returned {status}.");
        }
    }
}
