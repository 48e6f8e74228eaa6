using System.Buffers.Binary;
using System.Globalization;
using System.Reflection;
using System.Text;
using MixMate.Assistant.Reference;
using MixMate.Dsp.Spectrum;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Session;
using Xunit;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Tests;

/// <summary>
/// Saved sessions are a contract. <c>Golden/</c> holds states written by the build before the
/// typed state (StateCodec version 2, positional extras; commit "golden states"), each with what
/// that build did with it: the learned loudness, the auto gain, the target curve's name and the
/// host edits an in-session instance makes when the amount is turned to 25 % after loading
/// (the applied suggestion re-scaled). A version 1 state is the version 2 one without its blob.
/// Regenerate (only with that build): <c>MIXMATE_WRITE_STATE_GOLDEN=tests/MixMate.Plugin.Tests/Golden
/// dotnet test tests/MixMate.Plugin.Tests -c Release --filter StateGoldenTests</c>.
/// </summary>
public sealed class StateGoldenTests
{
    internal static readonly string[] Names = ["master-v2", "track-v2", "master-v1"];

    [Fact]
    public void Todays_code_writes_and_reads_the_golden_states()
    {
        Dictionary<string, byte[]> states = Generate();
        string? dir = Environment.GetEnvironmentVariable("MIXMATE_WRITE_STATE_GOLDEN");
        if (!string.IsNullOrEmpty(dir))
        {
            foreach ((string name, byte[] bytes) in states)
            {
                File.WriteAllBytes(Path.Combine(dir, name + ".state"), bytes);
                File.WriteAllText(Path.Combine(dir, name + ".expected"), Describe(bytes));
            }
        }

        foreach (string name in Names)
        {
            Assert.Equal(Resource(name + ".state"), states[name]);
            Assert.Equal(Encoding.UTF8.GetString(Resource(name + ".expected")), Describe(states[name]));
        }
    }

    internal static byte[] Resource(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Golden." + name)
            ?? throw new FileNotFoundException(name);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>What a build does with <paramref name="state"/>, as text: loaded outside a session
    /// (learned loudness, auto gain after setup, target) and in one (the edits at amount 25 %).</summary>
    internal static string Describe(byte[] state)
    {
        var text = new StringBuilder();
        var alone = new MasteringPlugin();
        Assert.True(alone.LoadState(state));
        alone.Setup(48000, 480, 2, 2);
        text.Append(CultureInfo.InvariantCulture, $"learned {alone.LearnedLufs:R}\n");
        text.Append(CultureInfo.InvariantCulture, $"autogain {alone.AutoGainDb:R}\n");
        text.Append(CultureInfo.InvariantCulture, $"target {alone.TargetCurve?.Name ?? "none"}\n");
        for (int i = 0; i < alone.Parameters.Count; i++)
        {
            if (!alone.Parameters[i].IsReadOnly)
            {
                text.Append(CultureInfo.InvariantCulture, $"param {alone.Parameters[i].Id} {alone.GetControllerValue(i):R}\n");
            }
        }

        var session = new MixSession(startThread: false, () => null);
        var member = new MasteringPlugin(session);
        Assert.True(member.LoadState(state));
        int amount = member.Parameters.IndexOf(P.Amount);
        member.SetControllerValue(amount, member.Parameters[amount].ToNormalized(25));
        var edits = new MmParamPoint[64];
        int n = member.PollEdits(edits);
        foreach (MmParamPoint e in edits[..n])
        {
            text.Append(CultureInfo.InvariantCulture, $"edit {e.Id} {e.Value:R}\n");
        }

        member.Release();
        return text.ToString();
    }

    internal static string TargetJson(string name)
    {
        var target = new MatchTarget(name, [.. Enumerable.Range(0, ThirdOctaveBands.Count).Select(b => 4.0 - (b * 0.3))],
            new double[ThirdOctaveBands.Count], -12, 6, -9);
        return new StyleTarget(name, target, -1, []).ToJson();
    }

    // A master (noisy, with a style target, compare on) and two tracks learn through one take;
    // each controller applies what the session suggests; the master's amount is then 60 %.
    private static Dictionary<string, byte[]> Generate()
    {
        var session = new MixSession(startThread: false, () => null);
        MixSessionTests.Rig a = MixSessionTests.NewInstance(session, mode: 0, s => Signals.FillNoise(s, 3, 0.5));
        MixSessionTests.Rig b = MixSessionTests.NewInstance(session, mode: 0, s => Signals.FillSine(s, 48000, 440, 0.02));
        MixSessionTests.Rig m = MixSessionTests.NewInstance(session, mode: 2, s => Signals.FillNoise(s, 9, 0.3));
        MixSessionTests.Rig[] all = [a, b, m];
        try
        {
            Assert.Null(m.Plugin.LoadTargetCurve(TargetJson("golden")));
            m.Pending.Add(new MmParamPoint(P.Learn, 0, 1));
            m.Pending.Add(new MmParamPoint(P.Compare, 0, 1));
            MixSessionTests.RunTake(session, all);
            m.Pending.Add(new MmParamPoint(P.Learn, 0, 0));
            MixSessionTests.ProcessRound(all, 0);
            session.RunPass();
            MixSessionTests.ProcessRound(all, MixSessionTests.Block);
            session.RunPass();
            var edits = new MmParamPoint[64];
            Assert.True(a.Plugin.PollEdits(edits) > 0);
            Assert.True(m.Plugin.PollEdits(edits) > 0);
            int amount = m.Plugin.Parameters.IndexOf(P.Amount);
            m.Plugin.SetControllerValue(amount, m.Plugin.Parameters[amount].ToNormalized(60));
            Assert.True(m.Plugin.PollEdits(edits) > 0);
            byte[] master = m.Plugin.SaveState();
            byte[] track = a.Plugin.SaveState();
            return new Dictionary<string, byte[]>
            {
                ["master-v2"] = master,
                ["track-v2"] = track,
                ["master-v1"] = WithoutBlob(master),
            };
        }
        finally
        {
            MixSessionTests.Dispose(all);
        }
    }

    // Version 1: the version 2 layout without the blob length and blob.
    private static byte[] WithoutBlob(byte[] v2)
    {
        int count = BinaryPrimitives.ReadUInt16LittleEndian(v2.AsSpan(8));
        int extras = BinaryPrimitives.ReadUInt16LittleEndian(v2.AsSpan(10));
        int end = 12 + (count * 12) + (extras * 8);
        byte[] v1 = [.. v2.AsSpan(0, end), 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt16LittleEndian(v1.AsSpan(4), 1);
        uint hash = 2166136261;
        foreach (byte x in v1.AsSpan(0, end))
        {
            hash = (hash ^ x) * 16777619;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(v1.AsSpan(end), hash);
        return v1;
    }
}
