using MixMate.Plugin.Abi;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Tone;
using MixMate.TestSupport;
using Xunit;

namespace MixMate.Plugin.Tests;

/// <summary>The plug-ins' steady state allocates nothing: not in process (with automation,
/// notes, meters and a pending state reload), not in the lock-free reads a host's UI thread makes.
/// The plug-in starts no threads of its own, so these are all the threads it runs on.</summary>
public sealed class ZeroAllocationTests
{
    [Fact]
    public void Mastering_process_with_automation_and_meters_allocates_nothing()
    {
        using var h = new PluginHarness(new MasteringPlugin(), 2, 512);
        h.Plugin.Setup(48000, 512, 2, 2);
        h.Plugin.SetActive(true);
        Signals.FillNoise(h.Input(0), 1, 0.3);
        Signals.FillNoise(h.Input(1), 2, 0.3);
        var points = new MmParamPoint[]
        {
            new(MasteringParameters.InputGainDb, 0, 0.6),
            new(MasteringParameters.EqId(2, MasteringParameters.EqEnable), 0, 1.0),
            new(MasteringParameters.Learn, 0, 1.0),
            new(MasteringParameters.EqId(2, MasteringParameters.EqGain), 32, 0.7),
            new(MasteringParameters.InputGainDb, 100, 0.4),
            new(MasteringParameters.Bypass, 300, 0.0),
            new(MasteringParameters.Role, 400, 0.5),
        };
        byte[] state = h.Plugin.SaveState();
        int i = 0;
        long bytes = Allocations.Measure(
            () => WarmUp(() => h.Process(0, 512, points)),
            () =>
            {
                points[1].Value = (i++ & 1) == 0 ? 0.0 : 1.0;
                h.Process(0, 512, points);
            },
            3000);
        Assert.Equal(0, bytes);
        Assert.Equal(15, h.LastOutPointCount);

        // A state loaded on the main thread is applied by the next process call (the one that
        // takes the reload): that very call is measured, and it must have been accepted.
        int status = -1;
        Action processOnce = () => status = h.Process(0, 512);
        processOnce(); // compiled before it is measured
        Assert.True(h.Plugin.LoadState(state));
        status = -1;
        long afterLoad = Allocations.MeasureOnce(processOnce);
        Assert.Equal(Status.Ok, status);
        Assert.Equal(0, afterLoad);
    }

    [Fact]
    public void A_session_member_automating_its_role_allocates_nothing_in_process()
    {
        var session = new Session.MixSession(startThread: false, () => null);
        var plugin = new MasteringPlugin(session);
        using var h = new PluginHarness(plugin, 2, 512);
        plugin.Setup(48000, 512, 2, 2);
        plugin.SetActive(true);
        Signals.FillNoise(h.Input(0), 4, 0.3);
        var points = new MmParamPoint[] { new(MasteringParameters.Role, 0, 0.0), new(MasteringParameters.Role, 256, 0.5) };
        int i = 0;
        long bytes = Allocations.Measure(
            () => WarmUp(() => h.Process(0, 512, points)),
            () =>
            {
                points[0].Value = (i++ % 16) / 15.0;
                h.Process(0, 512, points);
            },
            3000);
        Assert.Equal(0, bytes);
        Assert.Equal(7, plugin.Member!.UserRole); // 0.5 of 16 choices: index 8, role 7
        plugin.Release();
    }

    [Fact]
    public void Tone_process_with_notes_allocates_nothing()
    {
        using var h = new PluginHarness(new TonePlugin(), 2, 256);
        h.Plugin.Setup(44100, 256, 0, 2);
        h.Plugin.SetActive(true);
        var notes = new MmNote[]
        {
            new() { Offset = 0, Type = MmNote.On, Pitch = 60, Velocity = 0.8f, NoteId = -1 },
            new() { Offset = 100, Type = MmNote.On, Pitch = 64, Velocity = 0.5f, NoteId = -1 },
            new() { Offset = 200, Type = MmNote.Off, Pitch = 60, NoteId = -1 },
        };
        var points = new MmParamPoint[] { new(ToneParameters.Signal, 0, 0.0), new(ToneParameters.GainDb, 64, 0.9) };
        int i = 0;
        int refused = 0;
        double energy = 0;
        long bytes = Allocations.Measure(
            () => WarmUp(() => h.Process(0, 256, points, notes)),
            () =>
            {
                points[0].Value = (i++ % 4) / 3.0;
                refused += h.Process(0, 256, points, notes) == Status.Ok ? 0 : 1;
                energy += h.Output(0)[255] * h.Output(0)[255];
            },
            3000);
        Assert.Equal(0, bytes);

        // Every measured call did its work: accepted, and the notes sound.
        Assert.Equal(0, refused);
        Assert.True(energy > 0, "the measured blocks are silent");
    }

    [Fact]
    public void Processing_on_a_fresh_thread_allocates_nothing_after_warm_up()
    {
        var plugin = new MasteringPlugin();
        long measured = -1;
        int refused = 0;
        double energy = 0;
        var thread = new Thread(() =>
        {
            using var h = new PluginHarness(plugin, 2, 64);
            plugin.Setup(44100, 64, 2, 2);
            plugin.SetActive(true);
            Signals.FillNoise(h.Input(0), 3, 0.5);
            measured = Allocations.Measure(
                () => WarmUp(() => h.Process(0, 64)),
                () =>
                {
                    refused += h.Process(0, 64) == Status.Ok ? 0 : 1;
                    energy += h.Output(0)[63] * h.Output(0)[63];
                },
                9999);
        });
        thread.Start();
        thread.Join();
        Assert.Equal(0, measured);

        // Every measured call was accepted and passed the noise through.
        Assert.Equal(0, refused);
        Assert.True(energy > 0, "the measured blocks are silent");
    }

    // Steady state means after tiered compilation has settled: the JIT's tier-up (and on-stack
    // replacement of long loops) may allocate on the calling thread once. Warm up in two rounds
    // with a pause that lets background tier-1 compilation finish.
    private static void WarmUp(Func<int> process)
    {
        for (int round = 0; round < 2; round++)
        {
            for (int k = 0; k < 2000; k++)
            {
                process();
            }

            Thread.Sleep(250);
        }
    }

    [Fact]
    public void Controller_reads_of_parameters_and_meters_allocate_nothing()
    {
        var plugin = new MasteringPlugin();
        plugin.Setup(48000, 512, 2, 2);
        double sink = 0;
        long bytes = Allocations.Measure(
            () => { },
            () =>
            {
                for (int p = 0; p < plugin.Parameters.Count; p++)
                {
                    sink += plugin.GetControllerValue(p);
                }
            },
            1000);
        Assert.Equal(0, bytes);
        Assert.True(sink >= 0);
    }
}
