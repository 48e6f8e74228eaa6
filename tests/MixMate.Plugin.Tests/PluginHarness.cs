using MixMate.Plugin.Abi;
using MixMate.Plugin.Hosting;

namespace MixMate.Plugin.Tests;

/// <summary>Drives a <see cref="PluginInstance"/> the way the shim does: planar buffers,
/// channel pointer arrays, sorted parameter points and notes. Owns pinned buffers so the
/// steady-state loop itself allocates nothing.</summary>
internal sealed unsafe class PluginHarness : IDisposable
{
    private readonly float[][] _in;
    private readonly float[][] _out;
    private readonly System.Runtime.InteropServices.GCHandle[] _pins;
    private readonly float** _inPointers;
    private readonly float** _outPointers;
    private readonly MmParamPoint* _outPoints;

    public PluginHarness(PluginInstance plugin, int channels, int maxFrames)
    {
        Plugin = plugin;
        Channels = channels;
        _in = new float[channels][];
        _out = new float[channels][];
        _pins = new System.Runtime.InteropServices.GCHandle[2 * channels];
        _inPointers = (float**)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(channels * sizeof(float*)));
        _outPointers = (float**)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(channels * sizeof(float*)));
        _outPoints = (MmParamPoint*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(64 * sizeof(MmParamPoint)));
        for (int c = 0; c < channels; c++)
        {
            _in[c] = new float[maxFrames];
            _out[c] = new float[maxFrames];
            _pins[2 * c] = System.Runtime.InteropServices.GCHandle.Alloc(_in[c], System.Runtime.InteropServices.GCHandleType.Pinned);
            _pins[2 * c + 1] = System.Runtime.InteropServices.GCHandle.Alloc(_out[c], System.Runtime.InteropServices.GCHandleType.Pinned);
            _inPointers[c] = (float*)_pins[2 * c].AddrOfPinnedObject();
            _outPointers[c] = (float*)_pins[2 * c + 1].AddrOfPinnedObject();
        }
    }

    public PluginInstance Plugin { get; }

    public int Channels { get; }

    public float[] Input(int channel) => _in[channel];

    public float[] Output(int channel) => _out[channel];

    public int LastOutPointCount { get; private set; }

    public MmParamPoint OutPoint(int index) => _outPoints[index];

    /// <summary>Processes <paramref name="frames"/> frames starting at <paramref name="offset"/>
    /// of the harness buffers.</summary>
    public int Process(int offset, int frames, ReadOnlySpan<MmParamPoint> points = default, ReadOnlySpan<MmNote> notes = default)
    {
        float** ins = stackalloc float*[Channels];
        float** outs = stackalloc float*[Channels];
        for (int c = 0; c < Channels; c++)
        {
            ins[c] = _inPointers[c] + offset;
            outs[c] = _outPointers[c] + offset;
        }

        fixed (MmParamPoint* p = points)
        fixed (MmNote* n = notes)
        {
            var args = new MmProcessArgs
            {
                Frames = frames,
                InChannels = Plugin.InChannels,
                OutChannels = Channels,
                Inputs = Plugin.InChannels == 0 ? null : ins,
                Outputs = outs,
                Points = p,
                PointCount = points.Length,
                Notes = n,
                NoteCount = notes.Length,
                OutPoints = _outPoints,
                OutPointCapacity = 64,
            };
            int status = Plugin.Process(&args);
            LastOutPointCount = args.OutPointCount;
            return status;
        }
    }

    public void Dispose()
    {
        foreach (var pin in _pins)
        {
            pin.Free();
        }

        System.Runtime.InteropServices.NativeMemory.Free(_inPointers);
        System.Runtime.InteropServices.NativeMemory.Free(_outPointers);
        System.Runtime.InteropServices.NativeMemory.Free(_outPoints);
    }
}
