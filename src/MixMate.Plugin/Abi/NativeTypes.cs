using System.Runtime.InteropServices;

namespace MixMate.Plugin.Abi;

// Managed mirrors of native/shim/mixmate_abi.h. Field order and sizes must match that header;
// NativeTypesTests checks the sizes and offsets the shim static_asserts.

/// <summary>Status codes of the flat ABI (mixmate_abi.h, MM_OK …).</summary>
public static class Status
{
    public const int Ok = 0;
    public const int Argument = 1;
    public const int State = 2;
    public const int Exception = 3;
    public const int TooSmall = 4;
}

/// <summary>Which plug-in an instance is (MM_KIND_*).</summary>
public enum PluginKind
{
    Mastering = 0,
    Tone = 1,
}

/// <summary>mm_param_info.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MmParamInfo
{
    public uint Id;
    public int StepCount;
    public double DefaultNormalized;
    public int Flags;
    public int UnitId;
    public fixed char Title[128];
    public fixed char ShortTitle[128];
    public fixed char Units[128];
}

/// <summary>mm_param_point: one normalized value at a frame offset.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct MmParamPoint
{
    public uint Id;
    public int Offset;
    public double Value;

    public MmParamPoint(uint id, int offset, double value)
    {
        Id = id;
        Offset = offset;
        Value = value;
    }
}

/// <summary>mm_note.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct MmNote
{
    public const int On = 0;
    public const int Off = 1;

    public int Offset;
    public int Type;
    public int Channel;
    public int Pitch;
    public float Velocity;
    public float Tuning;
    public int NoteId;
    public int Reserved;
}

/// <summary>mm_process_args.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MmProcessArgs
{
    public const int LatencyChanged = 1;

    public int Frames;
    public int InChannels;
    public int OutChannels;
    public int PointCount;
    public float** Inputs;
    public float** Outputs;
    public MmParamPoint* Points;
    public MmNote* Notes;
    public int NoteCount;
    public int OutPointCapacity;
    public MmParamPoint* OutPoints;
    public int OutPointCount;
    public int FlagsOut;
}

/// <summary>mm_render_args (native/testhost/mixmate_test_abi.h: test hooks only).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MmRenderArgs
{
    public int Kind;
    public int Channels;
    public int Frames;
    public int PointCount;
    public double SampleRate;
    public float* Input;
    public float* Output;
    public MmParamPoint* Points;
    public MmNote* Notes;
    public int NoteCount;
    public int Reserved;
}

/// <summary>mm_api: the function table the shim receives from <see cref="Exports.GetApi"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MmApi
{
    public int AbiVersion;
    public int StructSize;
    public delegate* unmanaged<int, nint*, int> Create;
    public delegate* unmanaged<nint, int> Destroy;
    public delegate* unmanaged<nint, int*, int> GetParamCount;
    public delegate* unmanaged<nint, int, MmParamInfo*, int> GetParamInfo;
    public delegate* unmanaged<nint, uint, double, char*, int> ParamToString;
    public delegate* unmanaged<nint, uint, char*, double*, int> StringToParam;
    public delegate* unmanaged<nint, uint, double, double*, int> NormalizedToPlain;
    public delegate* unmanaged<nint, uint, double, double*, int> PlainToNormalized;
    public delegate* unmanaged<nint, uint, double*, int> GetParam;
    public delegate* unmanaged<nint, uint, double, int> SetParam;
    public delegate* unmanaged<nint, double, int, int, int, int> Setup;
    public delegate* unmanaged<nint, int, int> SetActive;
    public delegate* unmanaged<nint, MmProcessArgs*, int> Process;
    public delegate* unmanaged<nint, byte*, int, int*, int> GetState;
    public delegate* unmanaged<nint, byte*, int, int> SetState;
    public delegate* unmanaged<nint, int*, int*, int> GetLatency;
    public delegate* unmanaged<nint, MmParamPoint*, int, int*, int> PollEdits;

    // The editor (ABI version 3; ViewExports).
    public delegate* unmanaged<nint, float, nint*, int*, int*, int> ViewOpen;
    public delegate* unmanaged<nint, float, int*, int*, int> ViewSetScale;
    public delegate* unmanaged<nint, int*, int*, int> ViewCheckSize;
    public delegate* unmanaged<nint, int, int, int> ViewSetSize;
    public delegate* unmanaged<nint, byte*, int, int, int, int, int*, int> ViewDraw;
    public delegate* unmanaged<nint, int, float, float, float, int*, int> ViewMouse;
    public delegate* unmanaged<nint, int, int, int, int, int*, int> ViewKey;
    public delegate* unmanaged<nint, MmViewEdit*, int, int*, int> ViewPollEdits;
    public delegate* unmanaged<nint, int> ViewClose;
}

/// <summary>mm_test_api (native/testhost/mixmate_test_abi.h): the test hooks'
/// table, filled by <see cref="TestExports.GetTestApi"/>; never part of <see cref="MmApi"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MmTestApi
{
    public int AbiVersion;
    public int StructSize;
    public delegate* unmanaged<MmRenderArgs*, int> RenderOffline;
    public delegate* unmanaged<long*, int> CollectGarbage;
    public delegate* unmanaged<long*, int> ThreadAllocatedBytes;
}
