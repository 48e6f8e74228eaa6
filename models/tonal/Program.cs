using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Tonal;

namespace MixMate.TonalEval;

/// <summary>
/// Fits the tonal references and benchmarks the tonal engine on allowed material only: the dev
/// set's GM-soundfont renders of the openttd-openmsx and planetblupi MIDI songs (mixes and
/// stems), and espeak-ng speech. Splits by source: references fitted on FluidR3_GM renders of the
/// even-numbered openmsx songs (train), thresholds chosen on FluidR3_GM renders of the odd ones
/// (validation), figures reported on the blupi songs rendered with TimGM6mb (test: songs and
/// soundfont never used) — and, for scale, on the blupi songs in FluidR3_GM and the openmsx songs
/// in TimGM6mb. Speech splits by espeak-ng voice. Each test track gets random EQ faults like the
/// issue's outside check (1–3 RBJ peaks, Q 0.5–8, or one shelf, ±3–6 dB), applied exactly to its
/// long-term power spectrum; each engine's moves are applied the same way to the damaged and the
/// clean track, and the fault left is measured on the third-octave spectrum (50 Hz–16 kHz, level
/// removed) against the clean track through the same engine.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        string devset = Option(args, "--devset") ?? "/work/devset";
        string cache = Option(args, "--cache") ?? Path.Combine(Path.GetTempPath(), "mixmate-tonal");
        string? outDir = Option(args, "--out");
        int trials = int.Parse(Option(args, "--trials") ?? "20", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(cache);

        List<Item> items = Material.Load(devset, cache);
        Console.WriteLine($"material: {items.Count} clean tracks ({items.Count(i => i.Content == "mix")} mixes, {items.Count(i => i.Content == "speech")} speech, {items.Count(i => i.Content != "mix" && i.Content != "speech")} stems)");
        Dictionary<string, TonalReference> references = ReferenceFit.Fit(items.Where(i => i.Split == Split.Train).ToList());
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, "references.json"), ReferenceFit.ToJson(references, items));
        }

        if (args.Contains("--diagnose"))
        {
            var kinds = new Dictionary<string, List<double>>();
            Benchmark.Diagnose = (kind, r, before, text) =>
            {
                (kinds.TryGetValue(kind, out List<double>? l) ? l : kinds[kind] = []).Add(r);
                if (r < 0.1)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r,6:0.00} F0 {before:0.00} {text}"));
                }
            };
            Benchmark.Run(items.Where(i => i.Split == Split.Validation && i.Content == "mix").ToList(), Engines(references, FaultFinderSettings.Default).First(), trials);
            foreach ((string kind, List<double> l) in kinds)
            {
                l.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind}: n {l.Count} median {l[l.Count / 2]:0.00} mean {l.Average():0.00} worse {l.Count(x => x < 0)}"));
            }

            return 0;
        }

        if (Option(args, "--grid") is string grid)
        {
            // --grid "BroadFaultScaleDb=3,5;BankSize=4,6": every combination on the validation mixes.
            var axes = grid.Split(';').Select(a => (Name: a.Split('=')[0], Values: a.Split('=')[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())).ToList();
            IEnumerable<(string Label, FaultFinderSettings Settings)> combos = [("defaults", FaultFinderSettings.Default)];
            foreach ((string name, double[] values) in axes)
            {
                combos = combos.SelectMany(c => values.Select(v => ($"{c.Label} {name}={v.ToString(CultureInfo.InvariantCulture)}", With(c.Settings, name, v)))).ToList();
            }

            List<Item> set = items.Where(i => i.Split == Split.Validation && i.Content == "mix").ToList();
            foreach ((string label, FaultFinderSettings c) in combos)
            {
                Score s = Benchmark.Run(set, new Engine(label, (p, item) => TonalEngine.Suggest(p, Reference(references, item), c).Moves), trials);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label}: median {s.Median:0.000} mean {s.Mean:0.000} worse {s.Worse}/{s.Trials} moves on a clean track {s.CleanMoves:0.00} largest clean curve {s.CleanCurveDb:0.00} dB"));
            }

            return 0;
        }

        if (args.Contains("--oracle"))
        {
            // Ceilings: engines told the true fault, within the engine's bounds.
            List<Item> set = items.Where(i => i.Split == Split.Validation && i.Content == "mix").ToList();
            FaultFinderSettings d = FaultFinderSettings.Default;
            var oracles = new List<Engine>
            {
                new("exact inverse, unbounded", (p, item) => [.. Benchmark.CurrentFault.Select(f => f with { GainDb = -f.GainDb })]),
                new("exact inverse, each move within ±4 dB", (p, item) => [.. Benchmark.CurrentFault.Select(f => f with { GainDb = -Math.Clamp(f.GainDb, -4, 4) })]),
                new("six-band bank on the true fault", (p, item) =>
                {
                    double[] curve = BoundedEqFitter.Response(Benchmark.CurrentFault.Select(f => (f.Type, f.FrequencyHz, -f.GainDb, f.Q)));
                    double[] w = [.. Enumerable.Range(0, curve.Length).Select(i => MixMate.Dsp.Spectrum.TwelfthOctaveBands.Centre(i) is >= 35 and <= 17000 ? 1.0 : 0.0)];
                    double[] g = BroadEqBank.Fit(curve, w, 4, 6);
                    var bank = BroadEqBank.Bands(6);
                    return [.. bank.Select((b, k) => new EqMove(b.Type, b.FrequencyHz, g[k], b.Q, "")).Where(m => Math.Abs(m.GainDb) > 0.05)];
                }),
                new("region fitter (six moves) on the true fault", (p, item) =>
                {
                    double[] curve = BoundedEqFitter.Response(Benchmark.CurrentFault.Select(f => (f.Type, f.FrequencyHz, -f.GainDb, f.Q)));
                    double[] w = [.. Enumerable.Range(0, curve.Length).Select(i => MixMate.Dsp.Spectrum.TwelfthOctaveBands.Centre(i) is >= 35 and <= 17000 ? 1.0 : 0.0)];
                    return [.. BoundedEqFitter.Fit(curve, w, 6, 4, 6, 0.5, 3).Select(m => new EqMove(m.Type, m.FrequencyHz, m.GainDb, m.Q, ""))];
                }),
                new("engine (defaults)", (p, item) => TonalEngine.Suggest(p, Reference(references, item), d).Moves),
            };
            foreach (Engine e in oracles)
            {
                Score s = Benchmark.Run(set, e, trials);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Name}: median {s.Median:0.000} mean {s.Mean:0.000} worse {s.Worse}/{s.Trials}"));
            }

            return 0;
        }

        if (args.Contains("--sweep"))
        {
            Sweep(items.Where(i => i.Split == Split.Validation).ToList(), references, trials);
            return 0;
        }

        var settings = FaultFinderSettings.Default;
        var report = new StringBuilder();
        var json = new JsonObject();
        foreach ((string label, Func<Item, bool> select) in Sets())
        {
            List<Item> set = items.Where(select).ToList();
            if (set.Count == 0)
            {
                continue;
            }

            var line = new JsonObject { ["tracks"] = set.Count, ["trials"] = set.Count * trials };
            foreach (Engine engine in Engines(references, settings))
            {
                Score s = Benchmark.Run(set, engine, trials);
                line[engine.Name] = s.ToJson();
                string text = string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {engine.Name} | {set.Count} × {trials} | {s.Median:0%} | {s.Mean:0%} | {s.WorseShare:0.0%} ({s.Worse}) | {s.CleanMoves:0.00} | {s.CleanCurveDb:0.00} |");
                Console.WriteLine(text);
                report.AppendLine(text);
            }

            json[label] = line;
        }

        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, "benchmark.md"), "| material | engine | tracks × faults | fault removed, median | mean | made worse | moves on a clean track | largest clean curve, dB |\n|---|---|---|---|---|---|---|---|\n" + report);
            File.WriteAllText(Path.Combine(outDir, "benchmark.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        return 0;
    }

    private static IEnumerable<(string Label, Func<Item, bool> Select)> Sets() =>
    [
        ("test: blupi mixes, TimGM6mb", i => i.Split == Split.Test && i.Content == "mix" && i.SoundFont == "TimGM6mb"),
        ("blupi mixes, FluidR3_GM (unseen songs)", i => i.Split == Split.Test && i.Content == "mix" && i.SoundFont == "FluidR3_GM"),
        ("openmsx mixes, TimGM6mb (unseen soundfont)", i => i.Split == Split.Other && i.Content == "mix"),
        ("validation: odd openmsx mixes, FluidR3_GM", i => i.Split == Split.Validation && i.Content == "mix"),
        ("test: blupi stems, TimGM6mb", i => i.Split == Split.Test && i.Content != "mix" && i.Content != "speech" && i.SoundFont == "TimGM6mb"),
        ("test: speech, held-out voices", i => i.Split == Split.Test && i.Content == "speech"),
    ];

    private static FaultFinderSettings With(FaultFinderSettings s, string name, double v) => name switch
    {
        nameof(FaultFinderSettings.NarrowThreshold) => s with { NarrowThreshold = v },
        nameof(FaultFinderSettings.BroadThreshold) => s with { BroadThreshold = v },
        nameof(FaultFinderSettings.BroadFaultScaleDb) => s with { BroadFaultScaleDb = v },
        nameof(FaultFinderSettings.BankSize) => s with { BankSize = (int)v },
        nameof(FaultFinderSettings.MaxMoves) => s with { MaxMoves = (int)v },
        nameof(FaultFinderSettings.MaxMoveDb) => s with { MaxMoveDb = v },
        nameof(FaultFinderSettings.MaxCurveDb) => s with { MaxCurveDb = v },
        nameof(FaultFinderSettings.BroadBank) => s with { BroadBank = v != 0 },
        _ => throw new ArgumentException($"--grid: no setting '{name}'"),
    };

    private static IEnumerable<Engine> Engines(Dictionary<string, TonalReference> references, FaultFinderSettings settings)
    {
        yield return new Engine("fault finder", (p, item) => TonalEngine.Suggest(p, Reference(references, item), settings).Moves);
        yield return new Engine("previous (full-mix curve)", (p, item) => TonalBalance.Suggest(p.ThirdOctaveDb, TonalTarget.FullMix, p.SampleRate).Moves);
    }

    internal static TonalReference Reference(Dictionary<string, TonalReference> references, Item item) =>
        item.Content switch
        {
            "mix" => references["mix"],
            "speech" => references.GetValueOrDefault("speech") ?? references["mix"],
            _ => references.GetValueOrDefault(item.Content) ?? references["track"],
        };

    private static void Sweep(List<Item> validation, Dictionary<string, TonalReference> references, int trials)
    {
        List<Item> mixes = validation.Where(i => i.Content == "mix").ToList();
        double[] Grid(string name, string fallback) => [.. (Environment.GetEnvironmentVariable(name) ?? fallback).Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture))];
        double minDb = Grid("TONAL_MIN", "1.0")[0];
        foreach (double kn in Grid("TONAL_KN", "1.5"))
        {
            foreach ((double kb, double bank) in Grid("TONAL_TAU", "3,5,8").SelectMany(t => Grid("TONAL_BANK", "4,6").Select(b => (t, b))))
            {
                var settings = FaultFinderSettings.Default with { NarrowThreshold = kn, BroadFaultScaleDb = kb, BankSize = (int)bank, MinNarrowDb = minDb, MinBroadDb = minDb };
                Score s = Benchmark.Run(mixes, new Engine("ff", (p, item) => TonalEngine.Suggest(p, Reference(references, item), settings).Moves), trials);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"narrow {kn:0.0} tau {kb:0.0} bank {bank}: median {s.Median:0.0%} mean {s.Mean:0.0%} worse {s.Worse} clean moves {s.CleanMoves:0.00} clean curve {s.CleanCurveDb:0.00} dB"));
            }
        }
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

internal enum Split
{
    Train,
    Validation,
    Test,
    Other,
}

/// <summary>One clean track: its long-term power spectrum and where it comes from.</summary>
internal sealed record Item(string Name, string Source, string SoundFont, string Content, Split Split, double[] Power, double SampleRate, int FftSize);

/// <summary>An engine under test: moves for a profile.</summary>
internal sealed record Engine(string Name, Func<TonalProfile, Item, IReadOnlyList<EqMove>> Moves);
