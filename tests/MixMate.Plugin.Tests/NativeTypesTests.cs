using System.Runtime.InteropServices;
using MixMate.Plugin.Abi;
using Xunit;

namespace MixMate.Plugin.Tests;

/// <summary>The managed mirrors match native/shim/mixmate_abi.h and native/testhost/mixmate_test_abi.h
/// (which static_assert the same numbers).</summary>
public sealed class NativeTypesTests
{
    // A heap allocation the JIT cannot prove dead or move to the stack (.NET 10 stack-allocates
    // small arrays that do not escape, so `GC.KeepAlive(new byte[1000])` may allocate nothing).
    private static byte[]? s_escaped;

    [Fact]
    public unsafe void Struct_sizes_match_the_c_header()
    {
        Assert.Equal(792, sizeof(MmParamInfo));
        Assert.Equal(24, (int)Marshal.OffsetOf<MmParamInfo>(nameof(MmParamInfo.Title)));
        Assert.Equal(16, sizeof(MmParamPoint));
        Assert.Equal(32, sizeof(MmNote));
        Assert.Equal(72, sizeof(MmProcessArgs));
        Assert.Equal(16, (int)Marshal.OffsetOf<MmProcessArgs>(nameof(MmProcessArgs.Inputs)));
        Assert.Equal(56, (int)Marshal.OffsetOf<MmProcessArgs>(nameof(MmProcessArgs.OutPoints)));
        Assert.Equal(64, sizeof(MmRenderArgs));
        Assert.Equal(24, (int)Marshal.OffsetOf<MmRenderArgs>(nameof(MmRenderArgs.Input)));
        Assert.Equal(8 + 26 * 8, sizeof(MmApi));
        Assert.Equal(8 + 3 * 8, sizeof(MmTestApi));
        Assert.Equal(16, sizeof(MmViewEdit));
    }

    [Fact]
    public unsafe void The_function_table_works_and_bad_calls_return_status_codes()
    {
        delegate* unmanaged<MmApi*, int> getApi = &Exports.GetApi;
        MmApi api = default;
        Assert.Equal(Status.Argument, getApi(&api)); // struct size not set
        api.StructSize = sizeof(MmApi);
        Assert.Equal(Status.Ok, getApi(&api));
        Assert.Equal(4, api.AbiVersion);

        nint handle = 0;
        Assert.Equal(Status.Argument, api.Create(7, &handle));
        Assert.Equal(Status.Ok, api.Create(0, &handle));
        int count = 0;
        Assert.Equal(Status.Ok, api.GetParamCount(handle, &count));
        Assert.True(count > 40);
        MmParamInfo info;
        Assert.Equal(Status.Ok, api.GetParamInfo(handle, 0, &info));
        Assert.Equal(1 << 16 | 1, info.Flags); // bypass, automatable
        Assert.Equal(Status.Argument, api.GetParamInfo(handle, count, &info));
        double value = 0;
        Assert.Equal(Status.Argument, api.GetParam(handle, 12345, &value));
        Assert.Equal(Status.Argument, api.GetParam(handle, 0, null));

        // Process before setup is refused; a bad setup is reported, not thrown.
        var args = new MmProcessArgs { Frames = 0 };
        Assert.Equal(Status.State, api.Process(handle, &args));
        Assert.Equal(Status.Argument, api.Setup(handle, double.NaN, 512, 2, 2));
        Assert.Equal(Status.Ok, api.Setup(handle, 48000, 512, 2, 2));
        Assert.Equal(Status.Ok, api.Process(handle, &args));
        Assert.Equal(Status.Argument, api.Process(handle, null));

        int size = 0;
        Assert.Equal(Status.TooSmall, api.GetState(handle, null, 0, &size));
        byte* buffer = stackalloc byte[size];
        Assert.Equal(Status.Ok, api.GetState(handle, buffer, size, &size));
        Assert.Equal(Status.Ok, api.SetState(handle, buffer, size));
        Assert.Equal(Status.Ok, api.SetState(handle, buffer, 3)); // garbage loads defaults

        char* text = stackalloc char[128];
        Assert.Equal(Status.Ok, api.ParamToString(handle, MixMate.Plugin.Mastering.MasteringParameters.Target, 1.0, text));
        Assert.Equal("custom", new string(text));

        int latency = -1;
        int tail = -1;
        Assert.Equal(Status.Ok, api.GetLatency(handle, &latency, &tail));
        Assert.True(latency > 0);
        Assert.Equal(Status.Ok, api.Destroy(handle));
        Assert.Equal(Status.Argument, api.Destroy(0));
    }

    [Fact]
    public void The_production_table_exports_one_entry_point_and_the_test_hooks_another()
    {
        static string[] EntryPoints(Type t) =>
            [.. t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
                .Select(m => m.GetCustomAttributes(typeof(UnmanagedCallersOnlyAttribute), false).Cast<UnmanagedCallersOnlyAttribute>().FirstOrDefault()?.EntryPoint)
                .OfType<string>()];
        Assert.Equal([Exports.GetApiSymbol], EntryPoints(typeof(Exports)));
        Assert.Equal([TestExports.GetTestApiSymbol], EntryPoints(typeof(TestExports)));
        Assert.Empty(EntryPoints(typeof(ViewExports)));
    }

    [Fact]
    public unsafe void The_test_hooks_table_renders_collects_and_counts()
    {
        delegate* unmanaged<MmTestApi*, int> getTestApi = &TestExports.GetTestApi;
        MmTestApi api = default;
        Assert.Equal(Status.Argument, getTestApi(&api));
        api.StructSize = sizeof(MmTestApi);
        Assert.Equal(Status.Ok, getTestApi(&api));
        Assert.Equal(1, api.AbiVersion);

        long before = 0;
        long after = 0;
        Assert.Equal(Status.Ok, api.ThreadAllocatedBytes(&before));
        s_escaped = new byte[1000];
        Assert.Equal(Status.Ok, api.ThreadAllocatedBytes(&after));
        Assert.True(after - before >= 1000, $"allocated {after - before} bytes, expected >= 1000");
        Assert.NotNull(s_escaped);
        Assert.Equal(Status.Argument, api.ThreadAllocatedBytes(null));

        long heap = 0;
        Assert.Equal(Status.Ok, api.CollectGarbage(&heap));
        Assert.True(heap > 0);

        const int Frames = 4800;
        float* input = stackalloc float[2 * Frames];
        float* output = stackalloc float[2 * Frames];
        for (int i = 0; i < 2 * Frames; i++)
        {
            input[i] = 0.1f * MathF.Sin(i * 0.05f);
        }

        var args = new MmRenderArgs { Kind = 0, Channels = 2, Frames = Frames, SampleRate = 48000, Input = input, Output = output };
        Assert.Equal(Status.Ok, api.RenderOffline(&args));
        args.Output = null;
        Assert.Equal(Status.Argument, api.RenderOffline(&args));
    }
}
