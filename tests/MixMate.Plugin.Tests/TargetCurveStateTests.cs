using System.Buffers.Binary;
using MixMate.Assistant.Reference;
using MixMate.Dsp.Spectrum;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Parameters;
using MixMate.Plugin.State;
using Xunit;

namespace MixMate.Plugin.Tests;

/// <summary>The mastering plug-in keeps a loaded style target in its state (version 2: the blob; version 3: a field), and
/// states written before the target existed (version 1) still load.</summary>
public sealed class TargetCurveStateTests
{
    private static string TargetJson(string name)
    {
        var target = new MatchTarget(name, [.. Enumerable.Range(0, ThirdOctaveBands.Count).Select(b => 6.0 - (b * 0.4))],
            new double[ThirdOctaveBands.Count], -11, 5, -8);
        return new StyleTarget(name, target, -1, []).ToJson();
    }

    // The version 1 layout, as shipped builds wrote it: no blob.
    private static byte[] VersionOneState(ParameterSet set, double[] normalized)
    {
        var bytes = new byte[12 + (set.Count * 12) + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0x544D584D);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)PluginKind.Mastering);
        int stored = 0, at = 12;
        for (int i = 0; i < set.Count; i++)
        {
            if (!set[i].IsReadOnly)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), set[i].Id);
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at + 4), normalized[i]);
                at += 12;
                stored++;
            }
        }

        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)stored);
        uint hash = 2166136261;
        foreach (byte b in bytes.AsSpan(0, at))
        {
            hash = (hash ^ b) * 16777619;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), hash);
        return bytes[..(at + 4)];
    }

    [Fact]
    public void ALoadedTargetIsKeptInTheState()
    {
        var plugin = new MasteringPlugin();
        Assert.Null(plugin.LoadTargetCurve(TargetJson("warm")));
        byte[] state = plugin.SaveState();
        Assert.Equal(StateCodec.Version, BinaryPrimitives.ReadUInt16LittleEndian(state.AsSpan(4)));

        var restored = new MasteringPlugin();
        Assert.True(restored.LoadState(state));
        Assert.Equal("warm", restored.TargetCurve?.Name);
        Assert.Equal(plugin.TargetCurve!.Target.CurveDb, restored.TargetCurve!.Target.CurveDb);
        Assert.Equal(state, restored.SaveState());

        restored.ClearTargetCurve();
        var cleared = new MasteringPlugin();
        Assert.True(cleared.LoadState(restored.SaveState()));
        Assert.Null(cleared.TargetCurve);
    }

    [Fact]
    public void ABadTargetIsRefusedAndTheOldOneStays()
    {
        var plugin = new MasteringPlugin();
        Assert.Null(plugin.LoadTargetCurve(TargetJson("first")));
        string? why = plugin.LoadTargetCurve("{\"format\": \"other\"}");
        Assert.NotNull(why);
        Assert.Contains("not a MixMate target", why, StringComparison.Ordinal);
        Assert.Equal("first", plugin.TargetCurve?.Name);
    }

    [Fact]
    public void AVersionOneStateStillLoads()
    {
        var plugin = new MasteringPlugin();
        ParameterSet set = plugin.Parameters;
        var normalized = new double[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            normalized[i] = set[i].DefaultNormalized;
        }

        int gain = set.IndexOf(MasteringParameters.InputGainDb);
        normalized[gain] = 0.7;
        Assert.True(plugin.LoadState(VersionOneState(set, normalized)));
        Assert.Null(plugin.TargetCurve);
        var values = new double[set.Count];
        Assert.True(StateCodec.Read(plugin.SaveState(), (ushort)PluginKind.Mastering, set, values, out StoredState stored));
        Assert.Equal(0.7, values[gain], 12);
        Assert.Equal(0, stored.Fields.Count); // no target, nothing learned or applied

        // A state with a truncated target is invalid, not half-read.
        Assert.Null(plugin.LoadTargetCurve(TargetJson("x")));
        byte[] v2 = plugin.SaveState();
        Assert.False(new MasteringPlugin().LoadState(v2.AsSpan(0, v2.Length - 10)));
    }
}
