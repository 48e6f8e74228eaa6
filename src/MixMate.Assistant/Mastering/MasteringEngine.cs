using System.Globalization;
using MixMate.Assistant.Eq;
using MixMate.Assistant.Loudness;
using MixMate.Assistant.Streaming;
using MixMate.Assistant.Tonal;
using MixMate.Dsp;
using MixMate.Dsp.Dynamics;
using MixMate.Dsp.Filters;
using MixMate.Dsp.Loudness;
using MixMate.Dsp.Mastering;

namespace MixMate.Assistant.Mastering;

/// <summary>
/// Offline mastering: tonal analysis, then a search for the pre-limiter gain that lands the
/// integrated loudness on the target, rendering the full <see cref="MasterChain"/> each time.
/// </summary>
/// <remarks>
/// Pass budget (the issue allows four analysis passes): the caller's analysis of the input gives
/// the first estimate; then at most three renders, each metered as it is written. Every render
/// runs the same chain as the plug-in, from a reset state, so the delivered file is the one that
/// was measured.
/// <para>Exact landing in one render, usually: each render aims <see cref="AimAboveLu"/> above
/// the target, and a render that lands up to <see cref="MaxTrimLu"/> above it is finished by an
/// exact linear trim of the output (integrated loudness and true peak move by exactly the trim,
/// and a trim down can only lower the peaks below the ceiling). Only a render that lands below the
/// target, or too far above it, costs another render. The price: the limiter works at most
/// <see cref="MaxTrimLu"/> harder than strictly needed, and the true peak sits that much under
/// the ceiling.</para>
/// </remarks>
public static class MasteringEngine
{
    /// <summary>Renders allowed in the gain search.</summary>
    public const int MaxRenders = 3;

    /// <summary>Loudness error at which the search stops (our meter agrees with libebur128 within 0.05 LU).</summary>
    public const double ToleranceLu = 0.02;

    /// <summary>How far above the target each render aims, LU (the model's typical error on music
    /// is a few hundredths of an LU, so the render lands in the trim window).</summary>
    public const double AimAboveLu = 0.1;

    /// <summary>A render at most this far above the target is trimmed down to it exactly, LU.</summary>
    public const double MaxTrimLu = 0.4;

    /// <summary>Where the limiter model says more gain stops paying and the render there falls
    /// short, the next render probes this much more gain (dB) to measure what it really adds.</summary>
    public const double ProbeDb = 2;

    /// <summary>At most this much gain (dB) past the model's useful-gain limit, however well it pays.</summary>
    public const double MaxExtraGainDb = 6;

    /// <summary>A master further than this under its target (LU) has fallen short of it: a warning says
    /// so and <see cref="MasterResult.Shortfall"/> says how far it got and why.</summary>
    public const double ShortfallLu = 0.1;

    /// <summary>
    /// [non-real-time] Masters <paramref name="input"/> into <paramref name="output"/> (same shape).
    /// </summary>
    /// <param name="input">The programme.</param>
    /// <param name="sampleRate">Its sample rate.</param>
    /// <param name="inputIntegratedLufs">Integrated loudness of the input (from the caller's analysis).</param>
    /// <param name="output">Receives the master; same channels and length as the input.</param>
    /// <param name="settings">Target, EQ mode and amount.</param>
    /// <param name="progress">Optional progress 0..1.</param>
    /// <exception cref="ArgumentException">The input is silent (nothing above the −70 LUFS gate).</exception>
    public static unsafe MasterResult Master(AudioBlock input, double sampleRate, double inputIntegratedLufs, AudioBlock output,
        MasterSettings settings, Action<double>? progress = null)
    {
        if (output.Channels != input.Channels || output.Frames != input.Frames)
        {
            throw new ArgumentException("The output must have the input's channels and length.", nameof(output));
        }

        fixed (float* from = input.IsEmpty ? default : input[0])
        fixed (float* to = output.IsEmpty ? default : output[0])
        {
            var source = new PinnedBlockSource(from, input.Channels, input.Frames, input.Stride, sampleRate);
            var target = new PinnedBlockTarget(to, output.Channels, output.Frames, output.Stride);

            // The programme is in memory already: its staged copy may be too.
            var stage = new MemoryRenderScratch(input.Channels, sampleRate, input.Frames + (long)(sampleRate / 50));
            return Master(source, inputIntegratedLufs, target, settings, progress, stage: stage);
        }
    }

    /// <summary>
    /// [non-real-time] Masters <paramref name="input"/> into <paramref name="output"/>, streaming:
    /// every pass (the tonal analysis when the settings carry no bands, the model's summary, each
    /// render) reads the source from its start, and each render goes to the target, so memory does
    /// not grow with the programme beyond a few numbers per 10 ms. Thread-safe for distinct
    /// sources and targets (no shared state).
    /// </summary>
    /// <param name="input">The programme; its <see cref="IAudioSource.Frames"/> must be exact (one pass read to its end).</param>
    /// <param name="inputIntegratedLufs">Integrated loudness of the input (from the caller's analysis).</param>
    /// <param name="output">Receives each render; the last one, trimmed, is the master.</param>
    /// <param name="settings">Target, EQ mode and amount.</param>
    /// <param name="progress">Optional progress 0..1.</param>
    /// <param name="inputModel">The limiter model of the input when the caller built it on its own
    /// pass (see <see cref="LimiterLoudnessModel.Builder"/>); used only when no EQ is applied and the
    /// compressor is off, where the input is the signal at the gain stage.</param>
    /// <param name="stage">Where the programme through the stages before the gain is kept when an
    /// EQ or a side gain applies (rendered once, then read by every render of the gain search, which
    /// then runs only gain, compressor and limiter); null: no staging, every render reads the input
    /// and runs the whole chain (memory stays a few blocks). A long programme wants a file here.</param>
    /// <exception cref="ArgumentException">The input is silent (nothing above the −70 LUFS gate).</exception>
    public static MasterResult Master(IAudioSource input, double inputIntegratedLufs, IRenderTarget output,
        MasterSettings settings, Action<double>? progress = null, LimiterLoudnessModel? inputModel = null, IRenderScratch? stage = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        MasterResult first = MasterOnce(input, inputIntegratedLufs, output, settings, progress, inputModel, stage);
        if (!settings.DenseLimiterWhenShort || settings.LimiterCharacter != LimiterCharacter.Transparent
            || settings.FixedGainDb is not null || first.Shortfall is not { AtUsefulGainLimit: true })
        {
            return first;
        }

        // Loudness the transparent limiter cannot reach: the dense character recovers between
        // transients and carries more at the same ceiling. Its master is delivered when it gets
        // closer; otherwise the transparent one is rendered again (the output holds the last render).
        // The same moves: the first search's tonal answer, not a second analysis.
        TonalSuggestion? tonal = first.Tonal;
        MasterSettings dense = settings with
        {
            LimiterCharacter = LimiterCharacter.Dense,
            SuggestEq = tonal is null ? settings.SuggestEq : _ => tonal,
            InputBandsDb = first.InputBandsDb.Length > 0 ? first.InputBandsDb : settings.InputBandsDb,
        };
        MasterResult second = MasterOnce(input, inputIntegratedLufs, output, dense, null, inputModel, stage);
        if (second.OutputIntegratedLufs > first.OutputIntegratedLufs + DenseGainLu)
        {
            string note = string.Create(CultureInfo.InvariantCulture,
                $"the transparent limiter reached only {first.OutputIntegratedLufs:0.00} LUFS; the dense character (faster release, shorter hold) reached {second.OutputIntegratedLufs:0.00} LUFS at the same {settings.Target.TruePeakDbtp:0.#} dBTP ceiling: expect audible distortion on sustained bass and some pumping on dense passages");
            return second with
            {
                Warnings = [note, .. second.Warnings],
                TransparentLufs = first.OutputIntegratedLufs,
                Tonal = second.Tonal ?? first.Tonal,
                Speech = second.Speech ?? first.Speech,
            };
        }

        return MasterOnce(input, inputIntegratedLufs, output, settings, null, inputModel, stage);
    }

    /// <summary>The dense character is delivered only when it gets at least this much closer, LU.</summary>
    public const double DenseGainLu = 0.1;

    private static MasterResult MasterOnce(IAudioSource input, double inputIntegratedLufs, IRenderTarget output,
        MasterSettings settings, Action<double>? progress, LimiterLoudnessModel? inputModel, IRenderScratch? stage)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        double sampleRate = input.SampleRate;
        ArgumentNullException.ThrowIfNull(settings);
        if (!double.IsFinite(inputIntegratedLufs))
        {
            throw new ArgumentException("the input is digital silence or below the −70 LUFS gate; there is nothing to master", nameof(inputIntegratedLufs));
        }

        var warnings = new List<string>();
        var chain = new MasterChain(Math.Max(8, settings.EqBandCount));
        chain.Width.SideGainDb = settings.SideGainDb;
        chain.CompressorEnabled = settings.Compressor;
        chain.Limiter.CeilingDbtp = settings.Target.TruePeakDbtp;
        chain.Limiter.SetCharacter(settings.LimiterCharacter);
        chain.Configure(sampleRate, input.Channels, OfflineRenderer.BlockFrames);

        // Plot data (for HTML reports): the limiter's reduction per 100 ms of the render last run.
        var reductionCurve = new GainReductionRecorder(sampleRate, input.Frames);
        chain.Limiter.GainObserver = reductionCurve.Observe;

        // 1. Tonal balance.
        IReadOnlyList<EqMove> suggested = [];
        IReadOnlyList<EqMove> applied = [];
        double[] deviation = [];
        double[] bands = [];
        TonalSuggestion? tonal = null;
        SpeechVerdict? speech = null;
        if (settings.Eq != EqMode.Off)
        {
            TonalSuggestion suggestion;
            if (settings.SuggestEq is not null)
            {
                // The caller's moves (a reference match), on its bands when it gives them: then
                // there is nothing to analyse.
                bands = settings.InputBandsDb ?? (settings.InputProfile ?? TonalProfile.Measure(input)).ThirdOctaveDb;
                suggestion = settings.SuggestEq(bands);
            }
            else
            {
                SpeechDetector? detector = settings.InputProfile is null || settings.Speech is null ? new SpeechDetector(sampleRate) : null;
                TonalProfile profile = settings.InputProfile ?? TonalProfile.Measure(input, detector);
                bands = settings.InputBandsDb ?? profile.ThirdOctaveDb;

                // The programme's kind decides its reference: speech is not judged as music.
                speech = settings.Speech ?? (settings.InputProfile is null ? detector!.Decide(profile) : SpeechDetector.Detect(input, profile));
                suggestion = TonalEngine.Suggest(profile, settings.Reference ?? TonalReferences.ForProgramme(speech.IsSpeech));
            }

            tonal = suggestion;
            suggested = suggestion.Moves;
            deviation = suggestion.DeviationDb;
        }

        if (settings.Eq == EqMode.Apply)
        {
            applied = [.. suggested.Select(m => m.Scaled(settings.Amount)).Where(m => Math.Abs(m.GainDb) >= 0.05)];
            for (int i = 0; i < applied.Count && i < chain.Eq.BandCount; i++)
            {
                EqMove m = applied[i];
                chain.Eq.SetBand(i, new EqBand(true, m.Type, m.FrequencyHz, m.GainDb, m.Q));
            }
        }

        // 2. Gain search: render, meter, correct.
        var renderer = new OfflineRenderer(input.Channels);
        var meter = new LoudnessMeter { MeasuresTruePeak = settings.MeasuresOutputTruePeak };
        meter.Configure(sampleRate, input.Channels, OfflineRenderer.BlockFrames);
        double maxReduction = 0, meanReduction = 0, outputTruePeak = double.NegativeInfinity;
        var steps = new List<GainSearch.Step>();
        if (settings.FixedGainDb is double fixedGain)
        {
            reductionCurve.Start(chain.LatencySamples);
            Render(chain, renderer, meter, input, output, fixedGain, progress);
            progress?.Invoke(1);
            double fixedLufs = meter.IntegratedLufs;
            if (chain.Limiter.MaxGainReductionDb > settings.LimitingWarningDb)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"a gain of {fixedGain:+0.0;-0.0} dB needs up to {chain.Limiter.MaxGainReductionDb:0.0} dB of peak limiting (more than {settings.LimitingWarningDb:0} dB): transients will be squashed"));
            }

            return new MasterResult(fixedGain, [new GainSearch.Step(fixedGain, fixedLufs)], chain.Limiter.MaxGainReductionDb, chain.Limiter.MeanGainReductionDb,
                suggested, applied, deviation, bands, fixedLufs, OutputTruePeak(meter, settings), chain.LatencySamples, warnings)
            {
                GainReductionStepSeconds = reductionCurve.StepSeconds,
                GainReductionDb = reductionCurve.ToDecibels(),
            };
        }


        // The signal as it reaches the gain stage (DC blocker and EQ), summarised for the model.
        // Without EQ or compressor the input is that signal (the 5 Hz DC blocker changes no
        // loudness or peak that matters here), so the extra render is skipped.
        // With an EQ or a side gain, the stages before the gain are rendered once (their output
        // does not depend on the gain) and every render of the search runs only the gain,
        // compressor and limiter on that: a reference match's thirty-odd bands cost one pass, not
        // one per render. The staged render is the unstaged one, sample for sample.
        LimiterLoudnessModel model;
        Staging? staging = null;
        if (applied.Count == 0 && !settings.Compressor && settings.SideGainDb == 0)
        {
            model = inputModel ?? BuildModel(input);
        }
        else if (stage is not null && (applied.Count > 0 || settings.SideGainDb != 0))
        {
            staging = new Staging(chain, stage);
            var builder = new LimiterLoudnessModel.Builder(sampleRate, input.Channels);
            chain.Reset();
            renderer.Render(staging.Front, input, settings.Compressor ? stage : new ModelTee(stage, builder, input.Frames), null, null, 0, chain.LatencySamples);
            if (settings.Compressor)
            {
                chain.LimiterEnabled = false;
                chain.GainDb = 0;
                chain.Reset();
                renderer.Render(staging.Back, staging.Source, builder, null, null, chain.LatencySamples, 0);
                chain.LimiterEnabled = true;
            }

            model = builder.Build();
        }
        else
        {
            chain.LimiterEnabled = false;
            chain.GainDb = 0;
            chain.Reset();
            var builder = new LimiterLoudnessModel.Builder(sampleRate, input.Channels);
            renderer.Render(chain, input, builder);
            model = builder.Build();
            chain.LimiterEnabled = true;
        }

        double ceiling = settings.Target.TruePeakDbtp;
        double target = settings.Target.Lufs;

        // Solve on the model, render, and correct the model by its measured bias: first a constant
        // bias, then one that varies linearly with gain (through the last two renders).
        double aim = target + AimAboveLu;

        // Gain stops where it no longer adds loudness, however far the target is: beyond that the
        // limiter would only squash the peaks (sparse hits over a quiet floor once asked for +60 dB).
        double usefulLimit = model.UsefulGainLimitDb(ceiling);
        double gain = Math.Min(model.SolveGainDb(aim, ceiling), usefulLimit);
        var bias = new List<(double Gain, double Bias)>();
        double modelLimit = usefulLimit;
        int budget = MaxRenders, probe = -1, rejected = -1;
        bool limited = false;
        while (true)
        {
            int index = steps.Count;
            reductionCurve.Start(chain.LatencySamples);
            Render(chain, renderer, meter, input, output, gain, p => progress?.Invoke(Math.Min(1, (index + 1 + p) / (MaxRenders + 1))), staging);
            double reachedNow = meter.IntegratedLufs;
            steps.Add(new GainSearch.Step(gain, reachedNow));
            (maxReduction, meanReduction, outputTruePeak) = (chain.Limiter.MaxGainReductionDb, chain.Limiter.MeanGainReductionDb, OutputTruePeak(meter, settings));
            if (GainSearch.IsDone(steps, target, ToleranceLu) || IsTrimmable(reachedNow, target))
            {
                break;
            }

            if (gain >= usefulLimit - 1e-6 && reachedNow < target - ToleranceLu)
            {
                // The model says each further dB adds less than MinUsefulLuPerDb here; the renders
                // say what it really adds. One probe ProbeDb further; then more gain (up to
                // MaxExtraGainDb past the model's limit) only while each dB still adds that much.
                if (probe < 0 && budget - steps.Count < 2)
                {
                    budget = steps.Count + 2;
                }

                if (probe < 0 && steps.Count < budget)
                {
                    probe = steps.Count;
                    gain = usefulLimit = Math.Min(gain + ProbeDb, modelLimit + MaxExtraGainDb);
                    continue;
                }

                GainSearch.Step before = steps[^2];
                double paid = Math.Abs(gain - before.GainDb) > 1e-6 ? (reachedNow - before.Lufs) / (gain - before.GainDb) : 0;
                if (paid < LimiterLoudnessModel.MinUsefulLuPerDb)
                {
                    // Not worth its squashing: deliver the render before it.
                    rejected = steps.Count - 1;
                    limited = true;
                    break;
                }

                if (gain >= modelLimit + MaxExtraGainDb - 1e-6 || steps.Count >= budget)
                {
                    limited = true;
                    break;
                }

                gain = usefulLimit = Math.Min(gain + ((aim - reachedNow) / paid), modelLimit + MaxExtraGainDb);
                continue;
            }

            if (steps.Count >= budget || (gain >= usefulLimit - 1e-6 && reachedNow < target))
            {
                break;
            }

            bias.Add((gain, reachedNow - model.PredictLufs(gain, ceiling)));
            double next;
            if (bias.Count == 1)
            {
                next = model.SolveGainDb(aim - bias[0].Bias, ceiling);
            }
            else
            {
                (double g1, double b1) = bias[^2];
                (double g2, double b2) = bias[^1];
                double slope = Math.Abs(g2 - g1) > 1e-6 ? (b2 - b1) / (g2 - g1) : 0;
                next = gain;
                for (int i = 0; i < 4; i++)
                {
                    next = model.SolveGainDb(aim - (b2 + (slope * (next - g2))), ceiling);
                }
            }

            // If the model is useless here (no progress), fall back to a secant step on the renders.
            gain = Math.Min(Math.Abs(next - gain) < 1e-4 ? GainSearch.NextGain(steps, target) : next, usefulLimit);
        }

        // Best: a render that lands on the target or can be trimmed onto it; else the closest
        // (never a probe whose extra gain did not pay).
        IReadOnlyList<GainSearch.Step> ordered = rejected < 0
            ? GainSearch.OrderBestLast(steps, settings.Target.Lufs)
            : [steps[rejected], .. GainSearch.OrderBestLast([.. steps.Where((_, i) => i != rejected)], settings.Target.Lufs)];

        int landed = steps.FindLastIndex(st => IsTrimmable(st.Lufs, target) || Math.Abs(st.Lufs - target) <= ToleranceLu);
        GainSearch.Step best = landed >= 0 ? steps[landed] : ordered[^1];
        if (landed >= 0)
        {
            ordered = [.. ordered.Where(st => !st.Equals(best)), best];
        }

        double reached = best.Lufs;
        if (best.GainDb != steps[^1].GainDb)
        {
            // The best render was not the last one: render it again so the delivered file is it.
            reductionCurve.Start(chain.LatencySamples);
            Render(chain, renderer, meter, input, output, best.GainDb, null, staging);
            reached = meter.IntegratedLufs;
            (maxReduction, meanReduction, outputTruePeak) = (chain.Limiter.MaxGainReductionDb, chain.Limiter.MeanGainReductionDb, OutputTruePeak(meter, settings));
        }

        double trimDb = 0;
        if (IsTrimmable(reached, target))
        {
            // Exact: every sample scales by the same factor, so the integrated loudness and the
            // true peak move by exactly trimDb (BS.1770's gates are relative, bar the −70 LUFS
            // absolute gate, far below any master).
            trimDb = target - reached;
            output.Trim((float)Decibels.ToGain(trimDb));

            reached = target;
            outputTruePeak += trimDb;
        }

        progress?.Invoke(1);

        if (maxReduction > settings.LimitingWarningDb)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"reaching {settings.Target.Lufs:0.#} LUFS needs up to {maxReduction:0.0} dB of peak limiting (more than {settings.LimitingWarningDb:0} dB): transients will be squashed; consider a lower target or a less dense mix"));
        }

        bool stoppedAtLimit = limited || best.GainDb >= usefulLimit - 1e-6;
        LoudnessShortfall? shortfall = null;
        if (reached < settings.Target.Lufs - ShortfallLu)
        {
            string measured = rejected >= 0
                ? string.Create(CultureInfo.InvariantCulture,
                    $" (measured: {steps[rejected].GainDb - best.GainDb:0.0} dB more added {steps[rejected].Lufs - best.Lufs:0.00} LU)")
                : string.Empty;
            shortfall = new LoudnessShortfall(reached, stoppedAtLimit
                ? string.Create(CultureInfo.InvariantCulture,
                    $"the material is too peaky for {settings.Target.Lufs:0.#} LUFS at a {ceiling:0.#} dBTP ceiling: beyond {best.GainDb:+0.0;-0.0} dB of gain each further dB would add less than {LimiterLoudnessModel.MinUsefulLuPerDb:0.0#} LU while the limiter flattens the peaks{measured}")
                : string.Create(CultureInfo.InvariantCulture,
                    $"the limiter cannot raise the level further without exceeding the {ceiling:0.#} dBTP ceiling"),
                stoppedAtLimit);
        }

        if (Math.Abs(reached - settings.Target.Lufs) > ShortfallLu)
        {
            warnings.Add(stoppedAtLimit
                ? string.Create(CultureInfo.InvariantCulture,
                    $"reached {reached:0.00} LUFS instead of {settings.Target.Lufs:0.#} LUFS: stopped at {best.GainDb:+0.0;-0.0} dB of gain, because beyond it each further dB would add less than {LimiterLoudnessModel.MinUsefulLuPerDb:0.0#} LU while the limiter flattens the peaks (the material is too peaky for this target at a {ceiling:0.#} dBTP ceiling)")
                : string.Create(CultureInfo.InvariantCulture,
                    $"reached {reached:0.00} LUFS instead of {settings.Target.Lufs:0.#} LUFS: the limiter cannot raise the level further without exceeding the ceiling"));
        }

        return new MasterResult(best.GainDb, ordered, maxReduction, meanReduction, suggested, applied, deviation, bands,
            reached, outputTruePeak, chain.LatencySamples, warnings)
        {
            OutputTrimDb = trimDb,
            Shortfall = shortfall,
            LimiterCharacter = settings.LimiterCharacter,
            Tonal = tonal,
            Speech = speech,
            GainReductionStepSeconds = reductionCurve.StepSeconds,
            GainReductionDb = reductionCurve.ToDecibels(),
        };
    }

    private static double OutputTruePeak(LoudnessMeter meter, MasterSettings settings) =>
        settings.MeasuresOutputTruePeak ? meter.TruePeakDbtp : double.NaN;

    // A render above the target by more than the tolerance but within the trim window.
    private static bool IsTrimmable(double lufs, double target) =>
        double.IsFinite(lufs) && lufs - target > ToleranceLu && lufs - target <= MaxTrimLu;

    /// <summary>
    /// Collects the limiter's gains of one render as the smallest gain per 100 ms step of output
    /// time. The limiter reports the gain of each sample it emits; its first
    /// <c>latency</c> samples precede the programme (the renderer drops them), so sample n of the
    /// limiter's output is programme frame n − latency.
    /// </summary>
    private sealed class GainReductionRecorder
    {
        private readonly float[] _minimumGain;
        private readonly int _stepFrames;
        private readonly long _frames;
        private long _frame;

        public GainReductionRecorder(double sampleRate, long frames)
        {
            // Same hop as the loudness meter (rounded like libebur128), so steps coincide.
            _stepFrames = Math.Max(1, (int)Math.Round(sampleRate / 10, MidpointRounding.AwayFromZero));
            _frames = frames;
            _minimumGain = new float[(int)((frames + _stepFrames - 1) / _stepFrames)];
            StepSeconds = _stepFrames / sampleRate;
        }

        public double StepSeconds { get; }

        /// <summary>[non-real-time] Clears the curve before a render.</summary>
        public void Start(int latencySamples)
        {
            Array.Fill(_minimumGain, 1f);
            _frame = -latencySamples;
        }

        /// <summary>[render thread] The <see cref="LimiterGainObserver"/>: no allocation.</summary>
        public void Observe(ReadOnlySpan<float> gains)
        {
            for (int i = 0; i < gains.Length; i++, _frame++)
            {
                if (_frame >= 0 && _frame < _frames)
                {
                    int step = (int)(_frame / _stepFrames);
                    _minimumGain[step] = MathF.Min(_minimumGain[step], gains[i]);
                }
            }
        }

        public float[] ToDecibels()
        {
            var reduction = new float[_minimumGain.Length];
            for (int k = 0; k < reduction.Length; k++)
            {
                float g = _minimumGain[k];
                // A gain of zero (never expected from the limiter) is shown as a floor, not as ∞.
                reduction[k] = g >= 1f ? 0f : g > 1e-6f ? (float)-Decibels.FromGain(g) : 120f;
            }

            return reduction;
        }
    }

    /// <summary>The model of the programme itself, on one pass over it.</summary>
    private static LimiterLoudnessModel BuildModel(IAudioSource input)
    {
        var builder = new LimiterLoudnessModel.Builder(input.SampleRate, input.Channels);
        var samples = new float[OfflineRenderer.BlockFrames * input.Channels];
        var block = new AudioBlock(samples, input.Channels, OfflineRenderer.BlockFrames, OfflineRenderer.BlockFrames);
        input.Rewind();
        int read;
        while ((read = input.Read(block)) > 0)
        {
            builder.Add(block.Slice(0, read));
        }

        return builder.Build();
    }

    private static void Render(MasterChain chain, OfflineRenderer renderer, LoudnessMeter meter, IAudioSource input, IRenderTarget output,
        double gainDb, Action<double>? progress, Staging? staging = null)
    {
        chain.GainDb = gainDb;
        chain.Reset();
        chain.Limiter.ResetMeters();
        meter.Reset();
        if (staging is null)
        {
            renderer.Render(chain, input, output, meter, progress);
        }
        else
        {
            // The staged programme carries the front stages' ringing for the limiter's look-ahead.
            renderer.Render(staging.Back, staging.Source, output, meter, progress, chain.LatencySamples, 0);
        }
    }

    /// <summary>The chain split at its gain stage for a staged render: <see cref="Front"/> renders
    /// the programme once into the scratch (with a tail of the limiter's latency, the ringing the
    /// limiter would have looked ahead into), <see cref="Back"/> runs on what the scratch holds.</summary>
    private sealed class Staging(MasterChain chain, IRenderScratch scratch)
    {
        public IAudioProcessor Front { get; } = new Part(chain, front: true);

        public IAudioProcessor Back { get; } = new Part(chain, front: false);

        public IAudioSource Source => scratch.Open();

        // One half of the chain; configured and reset through the chain itself.
        private sealed class Part(MasterChain chain, bool front) : IAudioProcessor
        {
            public int LatencySamples => front ? 0 : chain.LatencySamples;

            public void Configure(double sampleRate, int channels, int maxBlockFrames) => chain.Configure(sampleRate, channels, maxBlockFrames);

            public void Process(AudioBlock block)
            {
                if (front)
                {
                    chain.ProcessToGain(block);
                }
                else
                {
                    chain.ProcessFromGain(block);
                }
            }

            public void Reset() => chain.Reset();
        }
    }

    /// <summary>Writes the staged programme and summarises its first <c>frames</c> (the programme
    /// without the tail) for the limiter model on the same pass.</summary>
    private sealed class ModelTee(IRenderTarget scratch, LimiterLoudnessModel.Builder builder, long frames) : IRenderTarget
    {
        private long _written;

        public void Begin()
        {
            scratch.Begin();
            _written = 0;
        }

        public void Write(AudioBlock piece)
        {
            scratch.Write(piece);
            int take = (int)Math.Clamp(frames - _written, 0, piece.Frames);
            if (take > 0)
            {
                builder.Add(piece.Slice(0, take));
            }

            _written += piece.Frames;
        }

        public void Trim(float gain) => scratch.Trim(gain);
    }
}
