using System.Text.Json;
using System.Text.Json.Nodes;
using MixMate.Assistant.Tonal;
using MixMate.Dsp.Spectrum;

namespace MixMate.TonalEval;

/// <summary>Fits each content's reference on the training tracks: the mean smoothed level-free
/// spectrum, the spread of tracks around it (standard deviation, level removed the way the fault
/// finder removes it) and the narrow ripple (RMS of the spectrum around its own smoothed shape).</summary>
internal static class ReferenceFit
{
    /// <summary>A role gets its own reference from this many training stems; others share "track".</summary>
    private const int MinimumExamples = 8;

    public static Dictionary<string, TonalReference> Fit(List<Item> train)
    {
        var groups = new Dictionary<string, List<Item>>(StringComparer.Ordinal)
        {
            ["mix"] = train.Where(i => i.Content == "mix").ToList(),
            ["speech"] = train.Where(i => i.Content == "speech").ToList(),
            ["track"] = train.Where(i => i.Content is not ("mix" or "speech")).ToList(),
        };
        foreach (IGrouping<string, Item> role in train.Where(i => i.Content is not ("mix" or "speech")).GroupBy(i => i.Content))
        {
            if (role.Count() >= MinimumExamples)
            {
                groups[role.Key] = [.. role];
            }
        }

        var result = new Dictionary<string, TonalReference>(StringComparer.Ordinal);
        foreach ((string name, List<Item> group) in groups)
        {
            if (group.Count >= 3)
            {
                result[name] = FitOne(name, group);
            }
        }

        return result;
    }

    private static TonalReference FitOne(string name, List<Item> group)
    {
        int n = TwelfthOctaveBands.Count;
        var placeholder = new TonalReference("fit", new double[n], Enumerable.Repeat(3.0, n).ToArray(), Enumerable.Repeat(1.0, n).ToArray(), 0);
        var estimates = group.Select(i => FaultFinder.Estimate(TonalProfile.FromPower(i.Power, i.SampleRate, i.FftSize), placeholder)).ToList();

        // First pass: mean of each track's smoothed spectrum relative to its own mean (50 Hz–16 kHz).
        double[] mean = MeanOf(estimates.Select(e => Normalised(e.SmoothedDb, e.Analysed, new double[n])).ToList(), estimates);
        FillMissing(mean, 0);

        // Second pass: the spread as the fault finder sees it (offset = mean of smoothed − mean).
        var deviations = estimates.Select(e => Normalised(e.SmoothedDb, e.Analysed, mean)).ToList();
        double[] correction = MeanOf(deviations, estimates);
        FillMissing(correction, 0);
        for (int i = 0; i < n; i++)
        {
            mean[i] += correction[i];
        }

        deviations = estimates.Select(e => Normalised(e.SmoothedDb, e.Analysed, mean)).ToList();
        var spread = new double[n];
        var narrow = new double[n];
        for (int i = 0; i < n; i++)
        {
            var d = new List<double>();
            var r = new List<double>();
            for (int t = 0; t < estimates.Count; t++)
            {
                if (estimates[t].Analysed[i])
                {
                    d.Add(deviations[t][i]);
                    r.Add(estimates[t].NarrowDb[i]);
                }
            }

            spread[i] = d.Count >= 3 ? Math.Sqrt(d.Sum(x => x * x) / d.Count) : double.NaN;
            // Robust (1.4826 × the median absolute ripple): one instrument's strong note in one
            // song is not the ripple of clean tracks.
            r = [.. r.Select(Math.Abs).Order()];
            narrow[i] = r.Count >= 3 ? 1.4826 * r[r.Count / 2] : double.NaN;
        }

        // Ripple varies smoothly with frequency: average over a quarter octave either side.
        FillMissing(narrow, 3);
        narrow = [.. Enumerable.Range(0, n).Select(i => Enumerable.Range(Math.Max(0, i - 3), Math.Min(n - 1, i + 3) - Math.Max(0, i - 3) + 1).Average(j => narrow[j]))];

        // Bands no training track reaches (speech above 11 kHz): the nearest band's mean, a wide spread.
        for (int i = 0; i < n; i++)
        {
            spread[i] = double.IsFinite(spread[i]) ? Math.Max(spread[i], 0.5) : 6;
            narrow[i] = double.IsFinite(narrow[i]) ? Math.Max(narrow[i], 0.3) : 3;
        }

        return new TonalReference(name, mean, spread, narrow, group.Count);
    }

    private static double[] Normalised(double[] smoothed, bool[] analysed, double[] reference)
    {
        var values = new List<double>();
        for (int i = 0; i < smoothed.Length; i++)
        {
            double f = TwelfthOctaveBands.Centre(i);
            if (analysed[i] && f is >= 50 and <= 16000)
            {
                values.Add(smoothed[i] - reference[i]);
            }
        }

        // As the fault finder removes the level: the mean over 50 Hz–16 kHz.
        double offset = values.Count == 0 ? 0 : values.Average();
        return [.. smoothed.Select((s, i) => analysed[i] ? s - reference[i] - offset : double.NaN)];
    }

    private static double[] MeanOf(List<double[]> curves, List<FaultEstimate> estimates)
    {
        int n = TwelfthOctaveBands.Count;
        var mean = new double[n];
        for (int i = 0; i < n; i++)
        {
            var v = curves.Where((c, t) => estimates[t].Analysed[i] && double.IsFinite(c[i])).Select(c => c[i]).ToList();
            mean[i] = v.Count >= 3 ? v.Average() : double.NaN;
        }

        return mean;
    }

    private static void FillMissing(double[] values, double fallback)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsFinite(values[i]))
            {
                continue;
            }

            int best = -1;
            for (int d = 1; d < values.Length && best < 0; d++)
            {
                if (i - d >= 0 && double.IsFinite(values[i - d]))
                {
                    best = i - d;
                }
                else if (i + d < values.Length && double.IsFinite(values[i + d]))
                {
                    best = i + d;
                }
            }

            values[i] = best >= 0 ? values[best] : fallback;
        }
    }

    public static string ToJson(Dictionary<string, TonalReference> references, List<Item> items)
    {
        static JsonArray Array(ReadOnlySpan<double> v)
        {
            var a = new JsonArray();
            foreach (double x in v)
            {
                a.Add(Math.Round(x, 3));
            }

            return a;
        }

        var list = new JsonArray();
        foreach ((string name, TonalReference r) in references.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            list.Add(new JsonObject
            {
                ["name"] = name,
                ["examples"] = r.Examples,
                ["meanDb"] = Array(r.MeanDb),
                ["spreadDb"] = Array(r.SpreadDb),
                ["narrowSpreadDb"] = Array(r.NarrowSpreadDb),
            });
        }

        var root = new JsonObject
        {
            ["version"] = 1,
            ["grid"] = "twelfth-octave, 121 bands, centre(i) = 1 kHz * 2^((i - 68) / 12)",
            ["material"] = "training split of models/tonal: FluidR3_GM renders of the even-numbered openttd-openmsx songs of the dev set (mixes and stems, roles from the GM program), espeak-ng speech (16 of 24 voices)",
            ["trainingTracks"] = items.Count(i => i.Split == Split.Train),
            ["rebuild"] = "models/tonal/evaluate.sh",
            ["references"] = list,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }).Replace("},{", "},\n{", StringComparison.Ordinal) + "\n";
    }
}
