using MixMate.Cli.Demo;
using Xunit;

namespace MixMate.Cli.Tests.Demo;

public sealed class DemoSongTests
{
    private const int TicksPerBar = DemoSong.TicksPerBar;

    // Pitch classes of D major: D E F# G A B C#.
    private static readonly HashSet<int> s_dMajor = [2, 4, 6, 7, 9, 11, 1];

    private static readonly IReadOnlyList<DemoStem> s_stems = DemoSong.Compose();

    private static DemoStem Stem(string name) => s_stems.Single(s => s.Name == name);

    private static long BarStart(int bar) => (bar - 1) * (long)TicksPerBar;

    [Fact]
    public void Has_four_stems_on_their_own_channels_and_programs()
    {
        Assert.Equal(DemoSong.StemNames, s_stems.Select(s => s.Name));
        Assert.Equal([9, 1, 2, 3], s_stems.Select(s => s.Channel));
        // GM programs (0-based): standard kit, fingered bass, electric piano 1, flute.
        Assert.Equal([0, 33, 4, 73], s_stems.Select(s => s.Program));
        Assert.All(s_stems, s => Assert.NotEmpty(s.Notes));
    }

    [Fact]
    public void Lasts_forty_seconds_at_100_bpm()
    {
        Assert.Equal(40.0, DemoSong.DurationSeconds, 12);
        Assert.Equal(16 * TicksPerBar + 1280, DemoSong.EndTick);
    }

    [Fact]
    public void Each_stem_midi_file_parses_back_to_its_score()
    {
        foreach (DemoStem stem in s_stems)
        {
            SmfFile file = DemoSmfReader.Parse(stem.Midi);
            Assert.Equal(1, file.Format);
            Assert.Equal(DemoSong.TicksPerQuarter, file.Division);
            Assert.Equal(2, file.Tracks.Count);

            SmfTrack conductor = file.Tracks[0];
            Assert.Equal((0L, 600_000), Assert.Single(conductor.Tempos));
            Assert.Empty(conductor.Notes);

            SmfTrack part = file.Tracks[1];
            Assert.Equal(stem.Name, part.Name);
            Assert.Equal(stem.Notes.Count, part.Notes.Count);
            var expected = stem.Notes
                .Select(n => new SmfNote(stem.Channel, n.Key, n.Velocity, n.Tick, n.Tick + n.Duration))
                .OrderBy(n => n.Start).ThenBy(n => n.Key).ThenBy(n => n.End);
            Assert.Equal(expected, part.Notes.OrderBy(n => n.Start).ThenBy(n => n.Key).ThenBy(n => n.End));
            Assert.Equal((0L, stem.Channel, stem.Program), Assert.Single(part.Programs));

            // Volume and pan set; chorus always off, reverb send only on the parts rendered with reverb.
            Assert.Contains(part.Controls, c => c.Tick == 0 && c.Controller == 7);
            Assert.Contains(part.Controls, c => c.Tick == 0 && c.Controller == 10);
            Assert.Contains(part.Controls, c => c is (0, _, 93, 0));
            int reverbSend = part.Controls.Single(c => c.Controller == 91).Value;
            Assert.Equal(stem.Reverb, reverbSend > 0);

            // Every stem plays for the same time, tails included.
            Assert.Equal(DemoSong.EndTick, conductor.EndTick);
            Assert.Equal(DemoSong.EndTick, part.EndTick);
            Assert.All(part.Notes, n => Assert.True(n.End <= BarStart(17), $"{stem.Name} note at {n.Start} rings past bar 16"));
        }
    }

    [Fact]
    public void Composing_is_deterministic()
    {
        IReadOnlyList<DemoStem> again = DemoSong.Compose();
        for (int i = 0; i < s_stems.Count; i++)
        {
            Assert.Equal(s_stems[i].Midi, again[i].Midi);
        }
    }

    [Fact]
    public void Bass_stays_below_c3_within_a_four_string_bass()
    {
        // MIDI 48 = C3; E1 (28) is the open low string.
        Assert.All(Stem("bass").Notes, n => Assert.InRange(n.Key, 28, 47));
    }

    [Fact]
    public void Keys_and_lead_sit_in_their_registers_and_in_d_major()
    {
        Assert.All(Stem("keys").Notes, n => Assert.InRange(n.Key, 40, 84));
        // The flute melody: above middle C, below D6 + a fifth.
        Assert.All(Stem("lead").Notes, n => Assert.InRange(n.Key, 69, 93));
        Assert.All(Stem("keys").Notes.Concat(Stem("lead").Notes), n => Assert.Contains(n.Key % 12, s_dMajor));
        Assert.True(Stem("lead").Notes.Min(n => n.Key) > Stem("keys").Notes.Max(n => n.Key) - 12,
            "the melody should sit above the chords");
    }

    [Fact]
    public void Drums_use_the_gm_kit_with_a_crash_on_each_section_downbeat()
    {
        IReadOnlyList<DemoNote> drums = Stem("drums").Notes;
        Assert.Equal(9, Stem("drums").Channel);
        // GM 1 percussion map covers keys 35..81.
        Assert.All(drums, n => Assert.InRange(n.Key, 35, 81));
        foreach (int key in new[] { 36, 38, 42, 49 })
        {
            Assert.Contains(drums, n => n.Key == key);
        }

        long[] crashes = [.. drums.Where(n => n.Key == 49).Select(n => n.Tick).Order()];
        Assert.Equal([BarStart(5), BarStart(13), BarStart(16)], crashes);

        // A backbeat: in the main section the snare lands on beats 2 and 4 of a plain bar.
        long bar6 = BarStart(6);
        long[] snares = [.. drums.Where(n => n.Key == 38 && n.Tick >= bar6 && n.Tick < bar6 + TicksPerBar).Select(n => n.Tick - bar6).Order()];
        Assert.Equal([480L, 1440L], snares);
    }

    [Fact]
    public void Arrangement_builds_from_a_sparse_intro()
    {
        static int PartsSounding(int bar) => s_stems.Count(s => s.Notes.Any(n => n.Tick >= BarStart(bar) && n.Tick < BarStart(bar + 1)));

        Assert.Equal(2, PartsSounding(1));
        Assert.Equal(3, PartsSounding(3));
        for (int bar = 5; bar <= 16; bar++)
        {
            Assert.Equal(4, PartsSounding(bar));
        }

        Assert.DoesNotContain(Stem("lead").Notes, n => n.Tick < BarStart(5));
        Assert.DoesNotContain(Stem("bass").Notes, n => n.Tick < BarStart(3));
    }

    [Fact]
    public void Bass_downbeats_are_roots_of_the_chords_the_keys_play()
    {
        IReadOnlyList<DemoNote> keys = Stem("keys").Notes;
        foreach (DemoNote bass in Stem("bass").Notes.Where(n => n.Tick % TicksPerBar == 0))
        {
            // The keys' lowest note at that downbeat is the root, doubled an octave or more above the bass.
            DemoNote lowest = keys.Where(k => k.Tick == bass.Tick).MinBy(k => k.Key);
            Assert.Equal(lowest.Key % 12, bass.Key % 12);
            Assert.True(lowest.Key >= bass.Key + 12);
        }
    }

    [Fact]
    public void Song_ends_on_the_tonic()
    {
        foreach (DemoStem stem in s_stems.Where(s => s.Name != "drums"))
        {
            long lastStart = stem.Notes.Max(n => n.Tick);
            Assert.Equal(BarStart(16), lastStart);
            Assert.All(stem.Notes.Where(n => n.Tick == lastStart), n => Assert.Contains(n.Key % 12, new[] { 2, 6, 9 }));
        }
    }
}
