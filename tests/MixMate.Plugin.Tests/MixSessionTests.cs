using MixMate.Assistant.Balance;
using MixMate.Dsp;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Session;
using MixMate.TestSupport;
using Xunit;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Tests;

/// <summary>
/// Several MixMate instances in one process balancing each other: the audio threads feed the
/// session, a take ends, the session suggests, the controllers apply through host edits, and a
/// host that sends the edits back to the processors (as every DAW does) hears the balance.
/// The session here runs its passes on the test thread (no background thread) so every step is
/// deterministic; roles are unknown (no model) so the expected balance is exact: every track at
/// the same active loudness.
/// </summary>
public sealed class MixSessionTests
{
    private const double Rate = 48000;
    internal const int Block = 480;
    internal const int TakeFrames = 6 * 48000;

    [Fact]
    public void A_master_take_balances_every_track_through_host_edits()
    {
        var session = new MixSession(startThread: false, () => null);
        var tracks = new[]
        {
            NewInstance(session, mode: 0, s => Signals.FillNoise(s, 7, 0.5)),
            NewInstance(session, mode: 0, s => Signals.FillSine(s, Rate, 220, 0.02)),
            NewInstance(session, mode: 0, s => Signals.FillSine(s, Rate, 3000, 0.1)),
        };
        Rig master = NewInstance(session, mode: 2, s => Signals.FillNoise(s, 9, 0.3));
        Rig[] all = [.. tracks, master];
        try
        {
            // The master's learn makes every track listen; one take of 6 s.
            master.Pending.Add(Point(P.Learn, 1));
            RunTake(session, all);
            Assert.All(tracks, t => Assert.True(t.Plugin.Member!.Listening));
            master.Pending.Add(Point(P.Learn, 0));
            ProcessRound(all, 0); // the master stops listening
            session.RunPass(); // leaders = 0
            ProcessRound(all, Block); // the tracks stop listening
            session.RunPass(); // takes ended: final suggestions
            Assert.Equal(3, session.TrackCount);

            // Each controller makes its edits once, then has nothing more to do.
            var gains = new double[tracks.Length];
            for (int i = 0; i < tracks.Length; i++)
            {
                List<MmParamPoint> edits = Poll(tracks[i]);
                MmParamPoint gain = Assert.Single(edits, e => e.Id == P.BalanceGainDb);
                gains[i] = Plain(tracks[i], P.BalanceGainDb, gain.Value);
                Assert.InRange(gains[i] - tracks[i].Plugin.Member!.Latest!.GainDb, -0.01, 0.01);
                Assert.Empty(Poll(tracks[i]));
                // The host sends the edits to the processor; here only the gain, so that what is
                // heard below is the balance alone (the masking cuts move loudness by design).
                tracks[i].Pending.Add(gain);
            }

            Assert.Equal(0, gains.Sum(), 6);
            Assert.True(gains.Max() - gains.Min() > 20, $"the three tracks differ by > 20 dB; moves {string.Join(", ", gains)}");

            // The master heard bright white noise: tonal moves in its EQ bands, at least one cut up high.
            List<MmParamPoint> masterEdits = Poll(master);
            Assert.DoesNotContain(masterEdits, e => e.Id == P.BalanceGainDb);
            Assert.Contains(masterEdits, e => e.Id == P.EqId(0, P.EqEnable) && e.Value == 1);
            Assert.Contains(masterEdits, e => e.Id % 10 == P.EqGain && Plain(master, e.Id, e.Value) < -1
                && Plain(master, e.Id - P.EqGain + P.EqFrequency, master.Plugin.GetControllerValue(master.Plugin.Parameters.IndexOf(e.Id - P.EqGain + P.EqFrequency))) > 4000);

            // What the host hears afterwards: the three tracks at the same active loudness.
            var loudness = tracks.Select(t =>
            {
                ProcessAll(t, TakeFrames);
                var output = new float[2 * (TakeFrames - 4800)];
                t.Harness.Output(0).AsSpan(4800, TakeFrames - 4800).CopyTo(output);
                t.Harness.Output(1).AsSpan(4800, TakeFrames - 4800).CopyTo(output.AsSpan(TakeFrames - 4800));
                return ActiveLoudnessMeasure.Measure(new AudioBlock(output, 2, TakeFrames - 4800, TakeFrames - 4800), Rate).Lufs;
            }).ToArray();
            Assert.True(loudness.Max() - loudness.Min() < 0.05, $"balanced tracks: {string.Join(", ", loudness.Select(l => l.ToString("0.00")))} LUFS");

            // Amount 50 %: the controller re-scales the applied gain, again as a host edit.
            SetController(tracks[1], P.Amount, 50);
            MmParamPoint half = Assert.Single(Poll(tracks[1]), e => e.Id == P.BalanceGainDb);
            Assert.Equal(gains[1] / 2, Plain(tracks[1], P.BalanceGainDb, half.Value), 1);
        }
        finally
        {
            Dispose(all);
        }
    }

    [Fact]
    public void Tracks_joining_and_leaving_update_the_suggestion_without_moving_the_faders()
    {
        var session = new MixSession(startThread: false, () => null);
        Rig a = NewInstance(session, mode: 0, s => Signals.FillNoise(s, 3, 0.5));
        Rig b = NewInstance(session, mode: 0, s => Signals.FillSine(s, Rate, 440, 0.05));
        Rig[] both = [a, b];
        try
        {
            a.Pending.Add(Point(P.Learn, 1));
            b.Pending.Add(Point(P.Learn, 1));
            RunTake(session, both);
            a.Pending.Add(Point(P.Learn, 0));
            b.Pending.Add(Point(P.Learn, 0));
            ProcessRound(both, 0);
            session.RunPass();
            Assert.NotEmpty(Poll(a));
            Assert.NotEmpty(Poll(b));
            double before = a.Plugin.Member!.Latest!.GainDb;

            // A third track appears while audio runs, listens for a take of its own, and leaves.
            Rig c = NewInstance(session, mode: 0, s => Signals.FillSine(s, Rate, 1000, 0.3));
            Assert.Equal(3, session.MemberCount);
            c.Pending.Add(Point(P.Learn, 1));
            RunTake(session, [a, b, c]);
            c.Pending.Add(Point(P.Learn, 0));
            ProcessRound([a, b, c], 0);
            Assert.True(session.RunPass());
            Assert.NotEqual(before, a.Plugin.Member.Latest!.GainDb); // a's suggestion sees c …
            Assert.Empty(Poll(a)); // … but a's applied balance does not move
            Assert.Contains(Poll(c), e => e.Id == P.BalanceGainDb);

            c.Plugin.Release();
            c.Harness.Dispose();
            Assert.Equal(2, session.MemberCount);
            ProcessRound(both, 0);
            Assert.True(session.RunPass()); // membership changed: recomputed for the two left
            Assert.Equal(before, a.Plugin.Member.Latest!.GainDb, 6);
            Assert.Equal(2, session.TrackCount);
            Assert.Empty(Poll(b));
        }
        finally
        {
            Dispose(both);
        }
    }

    [Fact]
    public void Listening_allocates_nothing_on_the_audio_thread_or_in_the_analysis_pass()
    {
        // No timed refresh inside the measurement (a refresh computes, which allocates by design).
        var session = new MixSession(startThread: false, () => null) { RefreshSeconds = double.PositiveInfinity };
        Rig track = NewInstance(session, mode: 0, s => Signals.FillNoise(s, 5, 0.5));
        Rig master = NewInstance(session, mode: 2, s => Signals.FillNoise(s, 6, 0.5));
        try
        {
            master.Pending.Add(Point(P.Learn, 1));
            Rig[] rigs = [track, master];
            ProcessRound(rigs, 0);
            session.RunPass();
            int offset = 0;
            void Round()
            {
                ProcessRound(rigs, offset);
                offset = (offset + Block) % (TakeFrames - Block);
                session.RunPass();
            }

            // Past the first refresh, then steady listening between refreshes.
            for (int i = 0; i < 300; i++)
            {
                Round();
            }

            Assert.True(track.Plugin.Member!.Listening);
            long bytes = Allocations.Measure(Round, Round, iterations: 400);
            Assert.Equal(0, bytes);
        }
        finally
        {
            Dispose([track, master]);
        }
    }

    [Fact]
    public void The_applied_suggestion_survives_a_state_round_trip()
    {
        var session = new MixSession(startThread: false, () => null);
        Rig a = NewInstance(session, mode: 0, s => Signals.FillNoise(s, 3, 0.5));
        Rig b = NewInstance(session, mode: 0, s => Signals.FillSine(s, Rate, 440, 0.02));
        try
        {
            a.Pending.Add(Point(P.Learn, 1));
            b.Pending.Add(Point(P.Learn, 1));
            RunTake(session, [a, b]);
            a.Pending.Add(Point(P.Learn, 0));
            b.Pending.Add(Point(P.Learn, 0));
            ProcessRound([a, b], 0);
            session.RunPass();
            double applied = Plain(a, P.BalanceGainDb, Assert.Single(Poll(a), e => e.Id == P.BalanceGainDb).Value);

            byte[] state = a.Plugin.SaveState();
            var restored = new MasteringPlugin();
            Assert.True(restored.LoadState(state));
            Assert.Equal(state, restored.SaveState());
            restored.SetControllerValue(restored.Parameters.IndexOf(P.Amount), restored.Parameters[restored.Parameters.IndexOf(P.Amount)].ToNormalized(25));
            // Outside a session nothing is polled; in one, the restored suggestion re-scales.
            Assert.Equal(0, restored.PollEdits(new MmParamPoint[64]));

            var inSession = new MasteringPlugin(session);
            inSession.LoadState(state);
            SetController(inSession, P.Amount, 25);
            var edits = new MmParamPoint[64];
            int n = inSession.PollEdits(edits);
            MmParamPoint gain = Assert.Single(edits[..n], e => e.Id == P.BalanceGainDb);
            Assert.Equal(applied / 4, inSession.Parameters[inSession.Parameters.IndexOf(P.BalanceGainDb)].ToPlain(gain.Value), 1);
            inSession.Release();
        }
        finally
        {
            Dispose([a, b]);
        }
    }

    [Fact]
    public void The_analysis_ring_hands_over_every_frame_in_order_or_counts_the_drop()
    {
        var ring = new AnalysisRing(2, 4096);
        const int Total = 2_000_000;
        long received = 0;
        bool ordered = true;
        var consumer = new Thread(() =>
        {
            var buffer = new float[2 * 1000];
            float last = -1;
            while (received + ring.DroppedFrames < Total)
            {
                int n = ring.Read(new AudioBlock(buffer, 2, 1000, 1000));
                for (int i = 0; i < n; i++)
                {
                    // In order (a dropped block only leaves a gap) and channels kept together.
                    ordered &= buffer[i] > last && buffer[1000 + i] == -buffer[i];
                    last = buffer[i];
                }

                received += n;
                if (n == 0)
                {
                    Thread.Yield();
                }
            }
        });
        consumer.Start();
        var block = new float[2 * 100];
        for (int written = 0; written < Total; written += 100)
        {
            for (int i = 0; i < 100; i++)
            {
                block[i] = written + i;
                block[100 + i] = -block[i];
            }

            ring.Write(new AudioBlock(block, 2, 100, 100));
        }

        consumer.Join();
        Assert.True(ordered);
        Assert.Equal(Total, received + ring.DroppedFrames);
    }

    internal static void RunTake(MixSession session, Rig[] rigs)
    {
        for (int offset = 0; offset + Block <= TakeFrames; offset += Block)
        {
            ProcessRound(rigs, offset);
            if ((offset / Block) % 3 == 0)
            {
                session.RunPass();
            }
        }

        session.RunPass();
    }

    internal static void ProcessRound(Rig[] rigs, int offset)
    {
        foreach (Rig r in rigs)
        {
            // (No Assert here: xunit's Assert.Equal allocates, and the allocation tests run this.)
            int status = r.Pending.Count == 0 ? r.Harness.Process(offset, Block) : r.Harness.Process(offset, Block, r.Pending.ToArray());
            r.Pending.Clear();
            if (status != Status.Ok)
            {
                throw new InvalidOperationException("process failed: " + status);
            }
        }
    }

    private static void ProcessAll(Rig r, int frames)
    {
        for (int offset = 0; offset + Block <= frames; offset += Block)
        {
            ProcessRound([r], offset);
        }
    }

    internal static Rig NewInstance(MixSession session, int mode, Action<Span<float>> fill)
    {
        var plugin = new MasteringPlugin(session);
        var harness = new PluginHarness(plugin, 2, TakeFrames);
        fill(harness.Input(0));
        harness.Input(0).CopyTo(harness.Input(1));
        SetController(plugin, P.Mode, mode);
        SetController(plugin, P.Limiter, 0);
        plugin.Setup(Rate, Block, 2, 2);
        plugin.SetActive(true);
        var rig = new Rig(plugin, harness);
        rig.Pending.Add(Point(P.Mode, plugin.Parameters[plugin.Parameters.IndexOf(P.Mode)].ToNormalized(mode)));
        rig.Pending.Add(Point(P.Limiter, 0));
        return rig;
    }

    private static List<MmParamPoint> Poll(Rig r)
    {
        var edits = new MmParamPoint[64];
        int n = r.Plugin.PollEdits(edits);
        return [.. edits[..n]];
    }

    private static void SetController(Rig r, uint id, double plain) => SetController(r.Plugin, id, plain);

    private static void SetController(MasteringPlugin p, uint id, double plain)
    {
        int index = p.Parameters.IndexOf(id);
        p.SetControllerValue(index, p.Parameters[index].ToNormalized(plain));
    }

    private static double Plain(Rig r, uint id, double normalized) =>
        r.Plugin.Parameters[r.Plugin.Parameters.IndexOf(id)].ToPlain(normalized);

    private static MmParamPoint Point(uint id, double normalized) => new(id, 0, normalized);

    internal static void Dispose(Rig[] rigs)
    {
        foreach (Rig r in rigs)
        {
            r.Plugin.Release();
            r.Harness.Dispose();
        }
    }

    internal sealed record Rig(MasteringPlugin Plugin, PluginHarness Harness)
    {
        public List<MmParamPoint> Pending { get; } = [];
    }

    [Fact]
    public void A_real_session_thread_allocates_nothing_while_nobody_listens()
    {
        var session = new MixSession(startThread: true, () => null);
        Rig a = NewInstance(session, mode: 0, s => Signals.FillNoise(s, 1, 0.5));
        Rig b = NewInstance(session, mode: 2, s => Signals.FillNoise(s, 2, 0.5));
        Rig[] rigs = [a, b];
        try
        {
            // The thread has seen the members (its one computation is done) and its pass has been
            // compiled at full optimisation (tiered compilation: steady state, not start-up).
            for (int i = 0; i < 20; i++)
            {
                ProcessRound(rigs, 0);
                Thread.Sleep(100);
            }

            // A loaded machine can finish tiered compilation late (installing the code allocates
            // once on that thread), or starve the analysis thread for a while; so a window that
            // allocated, or saw too few passes, is measured again. Steady-state allocation shows
            // in every window.
            Assert.True(session.AnalysisThreadAllocatedBytes > 0); // the counter is live: the first computation allocated
            long analysed = long.MaxValue;
            long processed = long.MaxValue;
            long polled = long.MaxValue;
            long passes = 0;
            for (int window = 0; window < 4; window++)
            {
                long before = session.AnalysisThreadAllocatedBytes;
                long passesBefore = session.AnalysisThreadPasses;
                polled = Math.Min(polled, Allocations.Measure(() => { }, () => a.Plugin.PollEdits(default), iterations: 1000, rounds: 1));
                processed = Math.Min(processed, Allocations.Measure(() => { }, () =>
                {
                    ProcessRound(rigs, 0);
                    Thread.SpinWait(20_000);
                }, iterations: 600, rounds: 1));
                Thread.Sleep(100);
                // Passes before bytes: every pass counted has published its bytes. Two or more
                // counted means at least one whole pass ran inside the window (a parked thread
                // would pass).
                long windowPasses = session.AnalysisThreadPasses - passesBefore;
                long after = session.AnalysisThreadAllocatedBytes;
                if (windowPasses >= 3)
                {
                    passes = Math.Max(passes, windowPasses);
                    analysed = Math.Min(analysed, after - before);
                }

                if (passes >= 3 && analysed == 0 && processed == 0 && polled == 0)
                {
                    break;
                }
            }

            Assert.True(passes >= 3, $"the analysis thread ran {passes} passes in the measured window (parked?)");
            Assert.Equal(0, analysed); // analysis thread
            Assert.Equal(0, processed); // audio thread
            Assert.Equal(0, polled); // main thread, polling for host edits
        }
        finally
        {
            Dispose(rigs);
        }
    }
}
