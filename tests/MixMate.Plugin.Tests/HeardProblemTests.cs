using System.Buffers.Binary;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Parameters;
using MixMate.Plugin.State;
using MixMate.TestSupport;
using Xunit;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Tests;

/// <summary>
/// The effect shows what it hears in its input as read-only parameters (issue 16): clipped runs,
/// true-peak overs, correlation, polarity/phase and stereo balance. A clipped, an inverted and an
/// imbalanced signal each move theirs; a clean one moves none. They are flagged read-only (never
/// automatable), allocate nothing on the audio thread, and are not part of the saved state.
/// </summary>
public sealed class HeardProblemTests
{
    private const double Rate = 48000;
    private const int Block = 480;

    private static readonly uint[] s_readings = [P.ClippedRuns, P.TruePeakOvers, P.Correlation, P.Phase, P.StereoBalanceDb];

    private enum Kind
    {
        Clean,
        Clipped,
        Inverted,
        Imbalanced,
    }

    // Stereo noise, partly correlated (a common part and a side part per channel), 3 s.
    private static void Fill(Kind kind, float[] left, float[] right, int block)
    {
        var common = new float[left.Length];
        var side = new float[left.Length];
        Signals.FillNoise(common, 100 + (ulong)block, 0.3);
        Signals.FillNoise(side, 200 + (ulong)block, 0.1);
        for (int i = 0; i < left.Length; i++)
        {
            float l = common[i] + side[i];
            float r = common[i] - side[i];
            switch (kind)
            {
                case Kind.Clipped:
                    l = Math.Clamp(8 * l, -1f, 1f);
                    r = Math.Clamp(8 * r, -1f, 1f);
                    break;
                case Kind.Inverted:
                    r = -r;
                    break;
                case Kind.Imbalanced:
                    r *= 0.5f; // 6 dB down
                    break;
            }

            left[i] = l;
            right[i] = r;
        }
    }

    private static Dictionary<uint, double> Heard(Kind kind, int seconds = 3)
    {
        var plugin = new MasteringPlugin();
        using var h = new PluginHarness(plugin, 2, Block);
        plugin.Setup(Rate, Block, 2, 2);
        plugin.SetActive(true);
        int blocks = seconds * (int)(Rate / Block);
        for (int b = 0; b < blocks; b++)
        {
            Fill(kind, h.Input(0), h.Input(1), b);
            Assert.Equal(Abi.Status.Ok, h.Process(0, Block));
        }

        var readings = new Dictionary<uint, double>();
        foreach (uint id in s_readings)
        {
            int index = plugin.Parameters.IndexOf(id);
            readings[id] = plugin.Parameters[index].ToPlain(plugin.GetControllerValue(index));

            // The host sees the same value in the block's output parameter changes.
            bool reported = false;
            for (int k = 0; k < h.LastOutPointCount; k++)
            {
                if (h.OutPoint(k).Id == id)
                {
                    Assert.Equal(plugin.GetControllerValue(index), h.OutPoint(k).Value);
                    reported = true;
                }
            }

            Assert.True(reported, $"parameter {id} is not among the output parameter changes");
        }

        return readings;
    }

    [Fact]
    public void A_clean_signal_moves_nothing()
    {
        Dictionary<uint, double> r = Heard(Kind.Clean);
        Assert.Equal(0, r[P.ClippedRuns]);
        Assert.Equal(0, r[P.TruePeakOvers]);
        Assert.InRange(r[P.Correlation], 0.6, 1.0);
        Assert.Equal(0, r[P.Phase]);
        Assert.InRange(r[P.StereoBalanceDb], -0.3, 0.3);
    }

    [Fact]
    public void A_clipped_signal_counts_clipped_runs_and_overs()
    {
        Dictionary<uint, double> r = Heard(Kind.Clipped);
        Assert.True(r[P.ClippedRuns] >= 100, $"{r[P.ClippedRuns]} clipped runs");
        Assert.True(r[P.TruePeakOvers] >= 1, $"{r[P.TruePeakOvers]} overs");
        Assert.Equal(0, r[P.Phase]);
    }

    [Fact]
    public void An_inverted_channel_reads_negative_correlation_and_inverted()
    {
        Dictionary<uint, double> r = Heard(Kind.Inverted);
        Assert.InRange(r[P.Correlation], -1.0, -0.6);
        Assert.Equal(Array.IndexOf(P.PhaseChoices, "inverted channel"), r[P.Phase]);
        Assert.Equal(0, r[P.ClippedRuns]);
        Assert.InRange(r[P.StereoBalanceDb], -0.3, 0.3);
    }

    [Fact]
    public void An_imbalanced_signal_reads_its_balance()
    {
        Dictionary<uint, double> r = Heard(Kind.Imbalanced);
        Assert.InRange(r[P.StereoBalanceDb], 5.0, 7.0);
        Assert.Equal(0, r[P.Phase]);
        Assert.Equal(0, r[P.ClippedRuns]);
    }

    [Fact]
    public void The_readings_are_read_only_after_the_existing_ids_and_not_saved()
    {
        ParameterSet set = P.Shared;
        foreach (uint id in s_readings)
        {
            ParameterDefinition d = set[set.IndexOf(id)];
            Assert.True(d.IsReadOnly, d.Title);
            Assert.Equal(2, d.Flags & 3); // kIsReadOnly, not kCanAutomate
            Assert.True(id > P.SessionTracks, "new IDs come after the existing meters");
        }

        Assert.Equal("-1.00", set[set.IndexOf(P.Correlation)].Format(0));
        Assert.Equal("inverted channel", set[set.IndexOf(P.Phase)].Format(1));

        // A state holds no reading: its entries are exactly the writable parameters, so a state
        // saved before the readings existed and one saved now have the same layout.
        var plugin = new MasteringPlugin();
        plugin.Setup(Rate, Block, 2, 2);
        byte[] state = plugin.SaveState();
        int count = BinaryPrimitives.ReadUInt16LittleEndian(state.AsSpan(8));
        var stored = new HashSet<uint>();
        for (int k = 0; k < count; k++)
        {
            stored.Add(BinaryPrimitives.ReadUInt32LittleEndian(state.AsSpan(12 + (12 * k))));
        }

        Assert.DoesNotContain(stored, s_readings.Contains);
        Assert.Equal(Enumerable.Range(0, set.Count).Count(i => !set[i].IsReadOnly), count);

        // A state written with the parameter list as it was before the readings loads.
        ParameterDefinition[] before = [.. Enumerable.Range(0, set.Count).Select(i => set[i]).Where(d => !s_readings.Contains(d.Id))];
        var old = new ParameterSet(before);
        double[] values = [.. before.Select(d => d.DefaultNormalized)];
        values[old.IndexOf(P.InputGainDb)] = 0.75;
        byte[] oldState = StateCodec.WriteVersion2((ushort)plugin.Kind, old, values, new double[2 + 4 + (4 * P.EqBands)]);
        Assert.True(plugin.LoadState(oldState));
        Assert.Equal(0.75, plugin.GetControllerValue(set.IndexOf(P.InputGainDb)));
    }

    [Fact]
    public void Listening_allocates_nothing_on_the_audio_thread()
    {
        // Clipped, then inverted, then imbalanced input: every branch of the listener runs while
        // the allocations are counted, and the readings show it did.
        var plugin = new MasteringPlugin();
        using var h = new PluginHarness(plugin, 2, Block);
        plugin.Setup(Rate, Block, 2, 2);
        plugin.SetActive(true);
        var inputs = new (float[] L, float[] R)[3];
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k] = (new float[Block], new float[Block]);
            Fill((Kind)(k + 1), inputs[k].L, inputs[k].R, k);
        }

        int call = 0;
        long bytes = Allocations.Measure(
            Allocations.Settled(() => h.Process(0, Block), 2000),
            () =>
            {
                (float[] l, float[] r) = inputs[(call++ / 200) % inputs.Length];
                l.CopyTo(h.Input(0), 0);
                r.CopyTo(h.Input(1), 0);
                h.Process(0, Block);
            },
            3000);
        Assert.Equal(0, bytes);
        int clips = plugin.Parameters.IndexOf(P.ClippedRuns);
        int correlation = plugin.Parameters.IndexOf(P.Correlation);
        Assert.True(plugin.Parameters[clips].ToPlain(plugin.GetControllerValue(clips)) > 0);
        Assert.True(double.IsFinite(plugin.Parameters[correlation].ToPlain(plugin.GetControllerValue(correlation))));
    }
}
