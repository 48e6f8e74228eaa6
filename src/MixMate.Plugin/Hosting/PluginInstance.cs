using MixMate.Dsp;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Parameters;
using MixMate.Plugin.State;

namespace MixMate.Plugin.Hosting;

/// <summary>
/// What every MixMate plug-in shares: two views of the parameters (the controller's, written by
/// the host's editor, and the processor's, written by the parameter queues of <c>process</c>),
/// versioned state, and the block splitter that turns a host block into sub-blocks.
/// </summary>
/// <remarks>
/// Sub-blocks end at every parameter point and note, and at every multiple of
/// <see cref="SubBlockFrames"/> frames counted from activation. Because the grid is absolute,
/// the output does not depend on how the host cuts its blocks — a host run and one offline
/// render of the same input agree (the test host checks this).
/// Threads: <see cref="Process"/> [audio thread, active]; meter values are published with
/// volatile writes and read by <see cref="GetControllerValue"/> [any thread]; everything else
/// [main thread].
/// </remarks>
public abstract class PluginInstance
{
    /// <summary>Granularity of parameter smoothing updates, in frames.</summary>
    public const int SubBlockFrames = 32;

    private readonly double[] _controller;
    private readonly double[] _processor;
    private float[] _scratch = [];
    private long _clock;
    private int _reloadPending;

    protected PluginInstance(ParameterSet parameters)
    {
        Parameters = parameters;
        _controller = new double[parameters.Count];
        _processor = new double[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            _controller[i] = parameters[i].DefaultNormalized;
            _processor[i] = parameters[i].DefaultNormalized;
        }
    }

    public ParameterSet Parameters { get; }

    public abstract PluginKind Kind { get; }

    public double SampleRate { get; private set; }

    public int InChannels { get; private set; }

    public int OutChannels { get; private set; }

    public bool IsConfigured { get; private set; }

    /// <summary>[any thread] Latency for the current setup, in frames.</summary>
    public abstract int LatencySamples { get; }

    /// <summary>[any thread] Frames of output that may follow the end of the input.</summary>
    public abstract int TailSamples { get; }

    /// <summary>[main thread, inactive] Allocates everything for this setup.</summary>
    public void Setup(double sampleRate, int maxBlock, int inChannels, int outChannels)
    {
        if (!(sampleRate >= 1.0 && sampleRate <= 1e7) || maxBlock < 0 || inChannels < 0 || outChannels < 1 || outChannels > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), "Unsupported processing setup.");
        }

        SampleRate = sampleRate;
        InChannels = inChannels;
        OutChannels = outChannels;
        _scratch = new float[outChannels * SubBlockFrames];
        OnSetup(sampleRate, outChannels);
        IsConfigured = true;
        Reset();
    }

    /// <summary>[main thread] Activation resets the signal state so a new run starts clean.</summary>
    public void SetActive(bool active)
    {
        if (active && IsConfigured)
        {
            Reset();
        }
    }

    /// <summary>[main or audio thread, configured] Clears signal state; parameters jump to their
    /// current values without ramps.</summary>
    public void Reset()
    {
        _clock = 0;
        Volatile.Write(ref _reloadPending, 0);
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (!Parameters[i].IsReadOnly)
            {
                OnParameter(i, Parameters[i].ToPlain(Volatile.Read(ref _processor[i])), snap: true);
            }
        }

        // After the targets are set, so that smoothers and filters start on them.
        OnReset();
    }

    /// <summary>[any thread] The controller's value; meters give the latest published value.</summary>
    public double GetControllerValue(int index) =>
        Parameters[index].IsReadOnly ? Volatile.Read(ref _processor[index]) : Volatile.Read(ref _controller[index]);

    /// <summary>[main thread] Sets the controller's value (clamped to 0..1).</summary>
    public void SetControllerValue(int index, double normalized)
    {
        if (!Parameters[index].IsReadOnly)
        {
            Volatile.Write(ref _controller[index], Clamp01(normalized, Parameters[index].DefaultNormalized));
        }
    }

    /// <summary>[any thread] The processor's value (what is being heard).</summary>
    public double GetProcessorValue(int index) => Volatile.Read(ref _processor[index]);

    /// <summary>[main thread] The state, versioned: the latest value of every writable parameter —
    /// the controller's view, which a host edit reaches at once, while the processor's view only
    /// catches up at the next processed block (a session saved with the transport stopped must keep
    /// the knob where the user left it; pluginval's state-restoration test caught this).</summary>
    public byte[] SaveState()
    {
        var values = new double[Parameters.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Parameters[i].IsReadOnly ? Volatile.Read(ref _processor[i]) : Volatile.Read(ref _controller[i]);
        }

        var fields = new StateFields();
        WriteStateFields(fields);
        return StateCodec.Write((ushort)Kind, Parameters, values, fields);
    }

    /// <summary>[main thread] Loads a state into both views; invalid data loads the defaults.
    /// Returns whether the data was a valid state.</summary>
    public bool LoadState(ReadOnlySpan<byte> data)
    {
        var values = new double[Parameters.Count];
        bool valid = StateCodec.Read(data, (ushort)Kind, Parameters, values, out StoredState stored);
        for (int i = 0; i < values.Length; i++)
        {
            if (!Parameters[i].IsReadOnly)
            {
                Volatile.Write(ref _processor[i], values[i]);
                Volatile.Write(ref _controller[i], values[i]);
            }
        }

        ReadStoredState(stored);

        // The audio thread takes the new values at its next block (ramped, not jumped).
        Volatile.Write(ref _reloadPending, 1);
        return valid;
    }

    /// <summary>[audio thread, configured] Processes one host block (any length, 0 included)
    /// in sub-blocks; allocation-free.</summary>
    public unsafe int Process(MmProcessArgs* args)
    {
        if (!IsConfigured)
        {
            return Status.State;
        }

        if (Interlocked.Exchange(ref _reloadPending, 0) != 0)
        {
            for (int i = 0; i < Parameters.Count; i++)
            {
                if (!Parameters[i].IsReadOnly)
                {
                    OnParameter(i, Parameters[i].ToPlain(Volatile.Read(ref _processor[i])), snap: false);
                }
            }
        }

        int frames = args->Frames;
        int pointCount = args->Points == null ? 0 : args->PointCount;
        int noteCount = args->Notes == null ? 0 : args->NoteCount;
        int pi = 0;
        int ni = 0;
        args->OutPointCount = 0;
        args->FlagsOut = 0;
        bool haveOutputs = frames > 0 && args->Outputs != null && args->OutChannels > 0;
        if (!haveOutputs)
        {
            // A parameter flush (0 frames, null buffers): take the values, render nothing.
            for (; pi < pointCount; pi++)
            {
                ApplyPoint(args->Points[pi]);
            }

            PublishAndReport(args);
            return frames < 0 ? Status.Argument : Status.Ok;
        }

        int inChannels = args->Inputs == null ? 0 : Math.Min(args->InChannels, InChannels);
        int outChannels = Math.Min(args->OutChannels, OutChannels);
        int done = 0;
        while (done < frames)
        {
            for (; pi < pointCount && args->Points[pi].Offset <= done; pi++)
            {
                ApplyPoint(args->Points[pi]);
            }

            for (; ni < noteCount && args->Notes[ni].Offset <= done; ni++)
            {
                OnNote(args->Notes[ni]);
            }

            int n = Math.Min(SubBlockFrames - (int)(_clock % SubBlockFrames), frames - done);
            if (pi < pointCount)
            {
                n = Math.Min(n, args->Points[pi].Offset - done);
            }

            if (ni < noteCount)
            {
                n = Math.Min(n, args->Notes[ni].Offset - done);
            }

            var block = new AudioBlock(_scratch, OutChannels, n, SubBlockFrames);
            for (int c = 0; c < OutChannels; c++)
            {
                float* source = c < inChannels ? args->Inputs[c] : null;
                if (source != null)
                {
                    new ReadOnlySpan<float>(source + done, n).CopyTo(block[c]);
                }
                else
                {
                    block[c].Clear();
                }
            }

            RenderSubBlock(block);
            for (int c = 0; c < outChannels; c++)
            {
                float* destination = args->Outputs[c];
                if (destination != null)
                {
                    block[c].CopyTo(new Span<float>(destination + done, n));
                }
            }

            _clock += n;
            done += n;
        }

        for (; pi < pointCount; pi++)
        {
            ApplyPoint(args->Points[pi]);
        }

        for (; ni < noteCount; ni++)
        {
            OnNote(args->Notes[ni]);
        }

        PublishAndReport(args);
        return Status.Ok;
    }

    /// <summary>[main thread] The host edits the plug-in wants made now, written into
    /// <paramref name="edits"/> (id and normalized value; offsets unused); returns how many. The
    /// controller's view already holds the new values; the shim wraps each in the host's
    /// beginEdit/performEdit/endEdit so the DAW records it (undo, automation) and sends it to
    /// the processor. Allocation-free when there is nothing to do.</summary>
    public virtual int PollEdits(Span<MmParamPoint> edits) => 0;

    /// <summary>[main thread] The instance is being destroyed: leave whatever it joined.</summary>
    public virtual void Release()
    {
    }

    /// <summary>[main thread] Turns edits that hold plain values into host edits: each value becomes
    /// normalized and the controller's view takes it (an unknown ID is left as it is).</summary>
    protected void CommitEdits(Span<MmParamPoint> edits)
    {
        for (int i = 0; i < edits.Length; i++)
        {
            int index = Parameters.IndexOf(edits[i].Id);
            if (index >= 0)
            {
                double normalized = Parameters[index].ToNormalized(edits[i].Value);
                SetControllerValue(index, normalized);
                edits[i] = new MmParamPoint(edits[i].Id, 0, normalized);
            }
        }
    }

    /// <summary>[any thread] The controller's view of <paramref name="id"/> as a plain value.</summary>
    protected double ControllerPlain(uint id)
    {
        int index = Parameters.IndexOf(id);
        return Parameters[index].ToPlain(GetControllerValue(index));
    }

    /// <summary>[main thread] Allocates for the sample rate and channel count.</summary>
    protected abstract void OnSetup(double sampleRate, int channels);

    /// <summary>[audio or main thread] Clears signal state.</summary>
    protected abstract void OnReset();

    /// <summary>[audio thread, or main thread while inactive] A parameter took a new plain value;
    /// <paramref name="snap"/> asks to jump instead of ramping.</summary>
    protected abstract void OnParameter(int index, double plain, bool snap);

    /// <summary>[audio thread] A note event at the start of the next sub-block.</summary>
    protected virtual void OnNote(in MmNote note)
    {
    }

    /// <summary>[audio thread] Renders one sub-block in place (input already copied in).</summary>
    protected abstract void RenderSubBlock(AudioBlock block);

    /// <summary>[audio thread] Calls <see cref="PublishMeter"/> for each meter after a block.</summary>
    protected virtual void PublishMeters()
    {
    }

    /// <summary>[main thread] The plug-in's own state beside its parameters, as typed fields
    /// (state version 3); none by default.</summary>
    protected virtual void WriteStateFields(StateFields fields)
    {
    }

    /// <summary>[main thread] What a loaded state holds beside the parameters: the fields of a
    /// version 3 state, the positional extras and blob of an older one, nothing for invalid data
    /// (the plug-in's own defaults then).</summary>
    protected virtual void ReadStoredState(StoredState stored)
    {
    }

    /// <summary>[audio thread] Publishes a meter's plain value (clamped into its range).</summary>
    protected void PublishMeter(int index, double plain)
    {
        ParameterDefinition d = Parameters[index];
        double clamped = double.IsFinite(plain) ? plain : d.Min;
        Volatile.Write(ref _processor[index], d.ToNormalized(clamped));
    }

    private void ApplyPoint(in MmParamPoint point)
    {
        int index = Parameters.IndexOf(point.Id);
        if (index < 0 || Parameters[index].IsReadOnly)
        {
            return;
        }

        // Automation that arrives only through process is the latest value too: keep both views.
        double value = Clamp01(point.Value, Parameters[index].DefaultNormalized);
        Volatile.Write(ref _processor[index], value);
        Volatile.Write(ref _controller[index], value);
        OnParameter(index, Parameters[index].ToPlain(value), snap: false);
    }

    private unsafe void PublishAndReport(MmProcessArgs* args)
    {
        PublishMeters();
        if (args->OutPoints == null)
        {
            return;
        }

        int count = 0;
        for (int i = 0; i < Parameters.Count && count < args->OutPointCapacity; i++)
        {
            if (Parameters[i].IsReadOnly)
            {
                args->OutPoints[count++] = new MmParamPoint(Parameters[i].Id, 0, Volatile.Read(ref _processor[i]));
            }
        }

        args->OutPointCount = count;
    }

    private static double Clamp01(double value, double fallback) =>
        double.IsNaN(value) ? fallback : Math.Clamp(value, 0.0, 1.0);
}
