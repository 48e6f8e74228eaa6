using System.Runtime.InteropServices;
using MixMate.Plugin.Abi;
using MixMate.Plugin.Editor;
using MixMate.Plugin.Mastering;
using MixMate.Plugin.Tone;
using MixMate.TestSupport;
using SkiaSharp;
using Xunit;
using P = MixMate.Plugin.Mastering.MasteringParameters;

namespace MixMate.Plugin.Tests;

/// <summary>The editors draw real content offscreen (into a buffer the way the shim hands one
/// over), turn clicks and drags into begin/perform/end gestures, keep their aspect ratio, redraw
/// without allocating in the steady state, and leave the audio path allocation-free while open.
/// Set MIXMATE_EDITOR_PNG to a folder to keep the rendered images.</summary>
public sealed unsafe class EditorTests
{
    [Fact]
    public void The_mastering_editor_draws_meters_text_and_panels()
    {
        using var h = new PluginHarness(new MasteringPlugin(), 2, 512);
        FeedLoudNoise(h, 200);
        using EditorHost host = ViewExports.OpenEditor(h.Plugin, 1f);
        Assert.Equal(((int)MasteringEditor.DesignWidth, (int)MasteringEditor.DesignHeight), (host.Editor.Width, host.Editor.Height));
        using SKBitmap image = Render(host);
        Save(image, "mixmate-editor.png");

        Assert.True(DistinctColours(image) > 200, $"only {DistinctColours(image)} colours");
        // Text: the title's bright pixels on the dark background.
        Assert.True(CountBright(image, new SKRectI(16, 14, 120, 44)) > 80, "no title text");
        // The momentary meter bar is lit (accent colour) in its lower part: loud noise was fed.
        SKColor bar = image.GetPixel(32 + 15, 360);
        Assert.True(bar.Green > 150 && bar.Blue > 150, $"meter bar not lit: {bar}");
    }

    [Fact]
    public void The_tone_editor_draws_its_signal_and_level()
    {
        using EditorHost host = ViewExports.OpenEditor(new TonePlugin(), 1f);
        using SKBitmap image = Render(host);
        Save(image, "tone-editor.png");
        Assert.True(DistinctColours(image) > 100, $"only {DistinctColours(image)} colours");
        Assert.True(CountBright(image, new SKRectI(16, 14, 200, 44)) > 80, "no title text");
    }

    /// <summary>The Tone's editor shows the notes held now: a held A4 lights its key on the strip
    /// and lists "A4  440.0 Hz"; released, the key goes dark again (and an unchanged editor with
    /// a note held redraws without allocating).</summary>
    [Fact]
    public void The_tone_editor_shows_the_held_notes()
    {
        var tone = new TonePlugin();
        using var h = new PluginHarness(tone, 2, 512);
        tone.Setup(48000, 512, 0, 2);
        tone.SetActive(true);
        h.Process(0, 512, notes: [new MmNote { Offset = 0, Type = MmNote.On, Pitch = 69, Velocity = 100 / 127f, NoteId = -1 }]);
        Assert.True(tone.IsHeld(69));
        Assert.Equal(100, tone.HeldVelocity(69));
        using EditorHost host = ViewExports.OpenEditor(tone, 1f);
        // The strip spans NotesPanel.Left + 14 … Right − 14 (302 … 530) at y 176 … 192.
        int x = (int)(302 + ((69 + 0.5) * (228 / 128.0)));
        using (SKBitmap held = Render(host))
        {
            Save(held, "tone-editor-held.png");
            SKColor key = held.GetPixel(x, 184);
            Assert.True(key.Green > 150 && key.Blue > 150, $"held key not lit: {key}");
            Assert.True(CountBright(held, new SKRectI(300, 205, 530, 222)) > 40, "no held-note line");
            using var pixels = new Pixels(host.Editor.Width, host.Editor.Height);
            Assert.Equal(0, Allocations.Measure(Allocations.Settled(() => pixels.Draw(host, force: true), 20), () => pixels.Draw(host, force: true), 20));
        }

        h.Process(0, 512, notes: [new MmNote { Offset = 0, Type = MmNote.Off, Pitch = 69, Velocity = 0, NoteId = -1 }]);
        Assert.False(tone.IsHeld(69));
        using SKBitmap released = Render(host);
        SKColor dark = released.GetPixel(x, 184);
        Assert.False(dark.Green > 150 && dark.Blue > 150, $"released key still lit: {dark}");
    }

    [Fact]
    public void A_click_on_learn_is_one_begin_perform_end_gesture()
    {
        var plugin = new MasteringPlugin();
        using EditorHost host = ViewExports.OpenEditor(plugin, 2f);
        Assert.Equal((1800, 1120), (host.Editor.Width, host.Editor.Height));
        SKRect learn = MasteringEditor.LearnBounds;
        float x = learn.MidX * 2;
        float y = learn.MidY * 2;
        Assert.True(host.Editor.Mouse(MouseKind.Down, x, y, 0));
        host.Editor.Mouse(MouseKind.Up, x, y, 0);

        var edits = new MmViewEdit[8];
        Assert.Equal(3, host.Editor.PollEdits(edits));
        Assert.Equal([MmViewEdit.Begin, MmViewEdit.Perform, MmViewEdit.End], edits[..3].Select(e => e.Kind));
        Assert.All(edits[..3], e => Assert.Equal(P.Learn, e.Id));
        Assert.Equal(1.0, edits[1].Value);
        Assert.Equal(1.0, plugin.GetControllerValue(plugin.Parameters.IndexOf(P.Learn)));
        Assert.Equal(0, host.Editor.PollEdits(edits));

        // A click elsewhere edits nothing.
        Assert.False(host.Editor.Mouse(MouseKind.Down, 5, 5, 0));
        Assert.Equal(0, host.Editor.PollEdits(edits));
    }

    [Fact]
    public void Dragging_amount_begins_performs_while_held_and_ends_on_release()
    {
        var plugin = new MasteringPlugin();
        using EditorHost host = ViewExports.OpenEditor(plugin, 1f);
        EditorControl amount = host.Editor.Controls.Single(c => c.ParameterId == P.Amount);
        float y = amount.Bounds.MidY;
        host.Editor.Mouse(MouseKind.Down, amount.Bounds.Left + (amount.Bounds.Width * 0.9f), y, 0);
        host.Editor.Mouse(MouseKind.Move, amount.Bounds.Left + (amount.Bounds.Width * 0.5f), y, 0);
        var edits = new MmViewEdit[16];
        int n = host.Editor.PollEdits(edits);
        Assert.Equal(2, n); // begin, perform (moves coalesce until polled)
        Assert.Equal(MmViewEdit.Begin, edits[0].Kind);
        Assert.Equal(0.5, edits[1].Value, 3);
        host.Editor.Mouse(MouseKind.Move, amount.Bounds.Left + (amount.Bounds.Width * 0.25f), y, 0);
        host.Editor.Mouse(MouseKind.Up, amount.Bounds.Left + (amount.Bounds.Width * 0.25f), y, 0);
        n = host.Editor.PollEdits(edits);
        Assert.Equal([MmViewEdit.Perform, MmViewEdit.End], edits[..n].Select(e => e.Kind));
        Assert.Equal(0.25, plugin.GetControllerValue(plugin.Parameters.IndexOf(P.Amount)), 3);
    }

    [Fact]
    public void Closing_mid_drag_still_ends_the_gesture()
    {
        var plugin = new MasteringPlugin();
        EditorHost host = ViewExports.OpenEditor(plugin, 1f);
        EditorControl gain = host.Editor.Controls.Single(c => c.ParameterId == P.InputGainDb);
        host.Editor.Mouse(MouseKind.Down, gain.Bounds.MidX, gain.Bounds.MidY, 0);
        PluginEditor editor = host.Editor;
        host.Dispose();
        var edits = new MmViewEdit[8];
        int n = editor.PollEdits(edits);
        Assert.Equal(MmViewEdit.End, edits[n - 1].Kind);
    }

    [Fact]
    public void Sizes_keep_the_aspect_ratio_within_limits()
    {
        using EditorHost host = ViewExports.OpenEditor(new MasteringPlugin(), 1f);
        Assert.Equal((1350, 840), host.Editor.Constrain(1350, 2000));
        Assert.Equal((450, 280), host.Editor.Constrain(10, 10));
        host.Editor.Resize(1350, 840);
        Assert.Equal(1.5f, host.Editor.DrawScale);
        using SKBitmap image = Render(host);
        Assert.Equal(1350, image.Width);
    }

    [Fact]
    public void An_idle_editor_skips_redraws_and_a_meter_change_redraws()
    {
        using var h = new PluginHarness(new MasteringPlugin(), 2, 512);
        h.Plugin.Setup(48000, 512, 2, 2);
        h.Plugin.SetActive(true);
        using EditorHost host = ViewExports.OpenEditor(h.Plugin, 1f);
        long now = 1000;
        host.Editor.Clock = () => now;
        using var pixels = new Pixels(host.Editor.Width, host.Editor.Height);
        Assert.True(pixels.Draw(host, force: false)); // the first frame
        Assert.True(pixels.Draw(host, force: false)); // the history's first sample
        Assert.False(pixels.Draw(host, force: false)); // nothing changed
        Assert.False(pixels.Draw(host, force: false));
        now += System.Diagnostics.Stopwatch.Frequency; // a second later the history moves
        Assert.True(pixels.Draw(host, force: false));
        Assert.False(pixels.Draw(host, force: false));
        FeedLoudNoise(h, 100); // the meters move
        Assert.True(pixels.Draw(host, force: false));
        Assert.False(pixels.Draw(host, force: false));
    }

    [Fact]
    public void On_the_master_the_editor_lists_the_session_tracks_with_their_moves()
    {
        var session = new Session.MixSession(startThread: false, () => null);
        var vocal = new MasteringPlugin(session);
        var bass = new MasteringPlugin(session);
        var master = new MasteringPlugin(session); // Mode's default is master
        vocal.Member!.SetMode(MasteringMode.Track);
        bass.Member!.SetMode(MasteringMode.Track);
        master.Member!.SetMode(MasteringMode.Master);
        int vocalRole = MixMate.Assistant.Roles.TrackRoles.IndexOf("vocal");
        vocal.Member.Publish(new Session.Suggestion(1, -2.5, vocalRole, [], ["the vocal sits 2.5 dB above the balance"]), apply: false);
        using EditorHost host = ViewExports.OpenEditor(master, 1f);
        var editor = (MasteringEditor)host.Editor;
        Assert.Equal(
            ["Session tracks and their moves:", "track 1 (vocal): -2.5 dB", "track 2 (unknown): no suggestion yet"],
            editor.TrackLines);
        editor.Clock = () => 0;
        using var pixels = new Pixels(editor.Width, editor.Height);
        Assert.True(pixels.Draw(host, force: false)); // the first frame
        pixels.Draw(host, force: false); // the history's first sample
        Assert.False(pixels.Draw(host, force: false));
        bass.Member.Publish(new Session.Suggestion(2, 1.0, -1, [], []), apply: false);
        Assert.True(pixels.Draw(host, force: false)); // a track's new suggestion redraws
        Assert.Equal("track 2 (unknown): +1.0 dB", editor.TrackLines[2]);
        using SKBitmap image = Render(host);
        Save(image, "mixmate-editor-master.png");
    }

    [Fact]
    public void A_flat_history_stops_changing_once_it_fills_the_plot()
    {
        var history = new LoudnessHistory();
        long version = history.Version;
        for (int i = 0; i < LoudnessHistory.Capacity; i++)
        {
            history.Add(-70);
            Assert.NotEqual(version, history.Version); // the line still grows
            version = history.Version;
        }

        history.Add(-70);
        history.Add(-70);
        Assert.Equal(version, history.Version); // scrolling a flat line shows nothing new
        history.Add(-20);
        Assert.NotEqual(version, history.Version);
        Assert.Equal(-20f, history[0]);
        Assert.Equal(-70f, history[1]);
    }

    [Fact]
    public void Redrawing_an_unchanged_editor_allocates_nothing()
    {
        using EditorHost host = ViewExports.OpenEditor(new MasteringPlugin(), 1f);
        using var pixels = new Pixels(host.Editor.Width, host.Editor.Height);
        long bytes = Allocations.Measure(Allocations.Settled(() => pixels.Draw(host, force: true), 20), () => pixels.Draw(host, force: true), 50);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Process_allocates_nothing_while_an_editor_draws_on_another_thread()
    {
        using var h = new PluginHarness(new MasteringPlugin(), 2, 512);
        h.Plugin.Setup(48000, 512, 2, 2);
        h.Plugin.SetActive(true);
        Signals.FillNoise(h.Input(0), 1, 0.3);
        Signals.FillNoise(h.Input(1), 2, 0.3);
        using EditorHost host = ViewExports.OpenEditor(h.Plugin, 1f);
        using var pixels = new Pixels(host.Editor.Width, host.Editor.Height);
        using var stop = new ManualResetEventSlim();
        long frames = 0;
        var ui = new Thread(() =>
        {
            while (!stop.IsSet)
            {
                pixels.Draw(host, force: false);
                Interlocked.Increment(ref frames);
                Thread.Sleep(5);
            }
        });
        ui.Start();
        try
        {
            long bytes = Allocations.Measure(Allocations.Settled(() => h.Process(0, 512)), () => h.Process(0, 512), 2000);
            Assert.Equal(0, bytes);
        }
        finally
        {
            stop.Set();
            ui.Join();
        }

        Assert.True(Interlocked.Read(ref frames) > 0);
    }

    private static void FeedLoudNoise(PluginHarness h, int blocks)
    {
        if (!h.Plugin.IsConfigured)
        {
            h.Plugin.Setup(48000, 512, 2, 2);
            h.Plugin.SetActive(true);
        }

        Signals.FillNoise(h.Input(0), 1, 0.5);
        Signals.FillNoise(h.Input(1), 2, 0.5);
        for (int i = 0; i < blocks; i++)
        {
            h.Process(0, 512);
        }
    }

    private static SKBitmap Render(EditorHost host)
    {
        var bitmap = new SKBitmap(new SKImageInfo(host.Editor.Width, host.Editor.Height, SKColorType.Bgra8888, SKAlphaType.Premul));
        Assert.True(host.Draw(bitmap.GetPixels(), bitmap.Width, bitmap.Height, bitmap.RowBytes, force: true));
        return bitmap;
    }

    private static int DistinctColours(SKBitmap image)
    {
        var set = new HashSet<uint>();
        ReadOnlySpan<uint> pixels = MemoryMarshal.Cast<byte, uint>(image.GetPixelSpan());
        foreach (uint p in pixels)
        {
            set.Add(p);
        }

        return set.Count;
    }

    private static int CountBright(SKBitmap image, SKRectI area)
    {
        int n = 0;
        for (int y = area.Top; y < area.Bottom; y++)
        {
            for (int x = area.Left; x < area.Right; x++)
            {
                SKColor c = image.GetPixel(x, y);
                n += c.Red + c.Green + c.Blue > 500 ? 1 : 0;
            }
        }

        return n;
    }

    private static void Save(SKBitmap image, string name)
    {
        string? folder = Environment.GetEnvironmentVariable("MIXMATE_EDITOR_PNG");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(Path.Combine(folder, name), png.ToArray());
    }

    /// <summary>A native pixel buffer, as the shim owns one.</summary>
    private sealed class Pixels : IDisposable
    {
        private readonly byte* _data;

        public Pixels(int width, int height)
        {
            Width = width;
            Height = height;
            _data = (byte*)NativeMemory.AllocZeroed((nuint)(width * height * 4));
        }

        public int Width { get; }

        public int Height { get; }

        public bool Draw(EditorHost host, bool force) => host.Draw((nint)_data, Width, Height, Width * 4, force);

        public void Dispose() => NativeMemory.Free(_data);
    }
}
