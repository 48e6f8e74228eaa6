using System.Globalization;

namespace MixMate.Assistant.Problems;

/// <summary>
/// Checks against the destination (<see cref="CheckProfile"/>): integrated loudness, the
/// peak-to-loudness ratio, and sample rate, bit depth and channels.
/// </summary>
internal static class DeliveryChecks
{
    /// <summary>Peak-to-loudness ratio (true peak − integrated loudness) below which a programme
    /// is over-compressed (warning, 6 dB) or dense (info, 8 dB).</summary>
    public const double PlrWarning = 6, PlrInfo = 8;

    public static IEnumerable<Problem> Loudness(SegmentSeries s, CheckProfile profile)
    {
        double integrated = s.IntegratedLufs;
        if (!double.IsFinite(integrated))
        {
            yield break;
        }

        if (profile.TargetLufs is double target)
        {
            double d = integrated - target;
            ProblemSeverity? severity = null;
            string message;
            string fix;
            if (profile.OnlyQuietMatters)
            {
                if (d < -profile.WarnToleranceLu)
                {
                    severity = ProblemSeverity.Warning;
                }
                else if (d > 0.5)
                {
                    severity = ProblemSeverity.Info;
                }

                message = d > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"integrated loudness {integrated:0.0} LUFS: streaming platforms will turn it down by about {d:0.0} dB")
                    : string.Create(CultureInfo.InvariantCulture, $"integrated loudness {integrated:0.0} LUFS is {-d:0.0} LU below what streaming platforms play at; several will not turn it up");
                fix = d > 0
                    ? "nothing needs doing; a less limited master keeps more punch after the platforms turn it down"
                    : string.Create(CultureInfo.InvariantCulture, $"master louder, towards {target:0} LUFS (mixmate master --target spotify)");
            }
            else
            {
                if (profile.ErrorToleranceLu is double errorTolerance && Math.Abs(d) > errorTolerance)
                {
                    severity = ProblemSeverity.Error;
                }
                else if (Math.Abs(d) > profile.WarnToleranceLu)
                {
                    severity = ProblemSeverity.Warning;
                }
                else if (Math.Abs(d) > profile.WarnToleranceLu / 2)
                {
                    severity = ProblemSeverity.Info;
                }

                message = string.Create(CultureInfo.InvariantCulture, $"integrated loudness {integrated:0.0} LUFS; {profile.Name} asks for {target:0.0} LUFS ({d:+0.0;-0.0} LU)");
                fix = string.Create(CultureInfo.InvariantCulture, $"normalise to {target:0} LUFS (mixmate master --lufs {target:0} --tp {profile.CeilingDbtp:0.0})");
            }

            if (severity is ProblemSeverity sev)
            {
                yield return new Problem(ProblemKind.Loudness, sev, null, null, integrated, target, "LUFS", profile.LoudnessSource, message, fix);
            }
        }

        double plr = s.TruePeakDbtp - integrated;
        if (double.IsFinite(plr) && plr < PlrInfo)
        {
            yield return new Problem(
                ProblemKind.OverCompressed, plr < PlrWarning ? ProblemSeverity.Warning : ProblemSeverity.Info, null, null, plr, plr < PlrWarning ? PlrWarning : PlrInfo, "dB",
                "peak-to-loudness ratio (PLR, AES TD1004/TD1008); MixMate's thresholds: below 8 dB dense, below 6 dB squashed",
                string.Create(CultureInfo.InvariantCulture, $"peak-to-loudness ratio {plr:0.0} dB: {(plr < PlrWarning ? "heavily limited, transients are flattened" : "dense, limited master")}"),
                "limit less (aim for a PLR of 8–12 dB); loudness-normalised platforms play it no louder anyway");
        }
    }

    public static IEnumerable<Problem> Format(AudioFormat format, CheckProfile profile)
    {
        string source = profile.FormatSource;
        if (!profile.SampleRates.Contains(format.SampleRate))
        {
            string rates = string.Join(", ", profile.SampleRates.Select(r => (r / 1000.0).ToString("0.#", CultureInfo.InvariantCulture)));
            yield return new Problem(
                ProblemKind.Format, ProblemSeverity.Warning, null, null, format.SampleRate, profile.SampleRates[0], "Hz", source,
                string.Create(CultureInfo.InvariantCulture, $"sample rate {format.SampleRate} Hz; {profile.Name} takes {rates} kHz"),
                string.Create(CultureInfo.InvariantCulture, $"resample to {profile.SampleRates[0]} Hz with a good converter (sox -v, or export again at that rate)"));
        }

        if (format.IsLossy)
        {
            yield return new Problem(
                ProblemKind.Format, profile.Name == "podcast" ? ProblemSeverity.Info : ProblemSeverity.Warning, null, null, 0, profile.MinBitDepth, "bits", source,
                $"lossy encoding ({format.Description}): {(profile.Name == "podcast" ? "fine for publishing, but keep a lossless master" : "deliver the lossless master instead")}",
                "export WAV or FLAC from the session; never master from an MP3");
        }
        else if (format.IsFloat && !profile.FloatAccepted)
        {
            yield return new Problem(
                ProblemKind.Format, ProblemSeverity.Warning, null, null, format.BitDepth, profile.MaxBitDepth, "bits", source,
                string.Create(CultureInfo.InvariantCulture, $"{format.BitDepth}-bit float samples; {profile.Name} takes {profile.MinBitDepth}–{profile.MaxBitDepth}-bit integer PCM"),
                string.Create(CultureInfo.InvariantCulture, $"export {profile.MaxBitDepth}-bit PCM with dither (mixmate master --bit-depth {profile.MaxBitDepth})"));
        }
        else if (!format.IsFloat && format.BitDepth > 0 && (format.BitDepth < profile.MinBitDepth || (profile.MaxBitDepth > 0 && format.BitDepth > profile.MaxBitDepth)))
        {
            int want = format.BitDepth < profile.MinBitDepth ? profile.MinBitDepth : profile.MaxBitDepth;
            yield return new Problem(
                ProblemKind.Format, ProblemSeverity.Warning, null, null, format.BitDepth, want, "bits", source,
                string.Create(CultureInfo.InvariantCulture, $"{format.BitDepth}-bit samples; {profile.Name} takes {profile.MinBitDepth}–{profile.MaxBitDepth} bit"),
                format.BitDepth > want
                    ? string.Create(CultureInfo.InvariantCulture, $"convert to {want} bit with dither (mixmate master --bit-depth {want})")
                    : "export again at 24 bit from the session");
        }

        if (format.Channels > profile.MaxChannels)
        {
            yield return new Problem(
                ProblemKind.Format, profile.Name == "cd" ? ProblemSeverity.Error : ProblemSeverity.Warning, null, null, format.Channels, profile.MaxChannels, "channels", source,
                string.Create(CultureInfo.InvariantCulture, $"{format.Channels} channels; {profile.Name} takes at most {profile.MaxChannels}"),
                "fold down to stereo (or deliver the surround mix where surround is accepted)");
        }
    }
}
