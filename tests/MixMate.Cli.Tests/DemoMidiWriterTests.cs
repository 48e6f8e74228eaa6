using MixMate.Cli.Demo;
using Xunit;

namespace MixMate.Cli.Tests.Demo;

public sealed class DemoMidiWriterTests
{
    [Theory]
    // Examples from the SMF 1.0 specification's table of variable-length quantities, as delta
    // times of a note placed that late (NAudio.Midi encodes them).
    [InlineData(0x00, new byte[] { 0x00 })]
    [InlineData(0x40, new byte[] { 0x40 })]
    [InlineData(0x7F, new byte[] { 0x7F })]
    [InlineData(0x80, new byte[] { 0x81, 0x00 })]
    [InlineData(0x2000, new byte[] { 0xC0, 0x00 })]
    [InlineData(0x3FFF, new byte[] { 0xFF, 0x7F })]
    [InlineData(0x4000, new byte[] { 0x81, 0x80, 0x00 })]
    [InlineData(0x1FFFFF, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(0x200000, new byte[] { 0x81, 0x80, 0x80, 0x00 })]
    [InlineData(0x0FFFFFFE, new byte[] { 0xFF, 0xFF, 0xFF, 0x7E })]
    public void Delta_times_are_the_specification_s_variable_length_quantities(int value, byte[] expected)
    {
        var writer = new MidiWriter(96);
        writer.AddTrack("t").Note(value, 0, 60, 100, 1);
        byte[] file = writer.ToBytes();
        // MThd (14 bytes), MTrk + length (8), delta 0 + track name FF 03 01 't' (5), then the note-on's delta.
        Assert.Equal(expected, file.AsSpan(14 + 8 + 5, expected.Length).ToArray());
        int position = 0;
        Assert.Equal(value, DemoSmfReader.ReadVariableLength(expected, ref position));
        Assert.Equal(0x90, file[14 + 8 + 5 + expected.Length]);
    }

    [Fact]
    public void A_time_beyond_four_bytes_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MidiWriter().AddTrack("t").Note(0x0FFFFFFF, 0, 60, 100, 1));

    [Fact]
    public void Writes_a_format_1_file_whose_chunks_and_events_parse_back()
    {
        var writer = new MidiWriter(480);
        MidiTrack conductor = writer.AddTrack("conductor");
        conductor.Tempo(0, 100);
        conductor.TimeSignature(0, 4, 4);
        MidiTrack drums = writer.AddTrack("drums");
        drums.ProgramChange(0, 9, 0);
        drums.ControlChange(0, 9, 7, 100);
        drums.ControlChange(0, 9, 91, 0);
        for (int i = 0; i < 8; i++)
        {
            drums.Note(i * 240, 9, 42, 80, 120);
        }

        drums.Note(0, 9, 36, 110, 240);
        MidiTrack bass = writer.AddTrack("bass");
        bass.ProgramChange(0, 1, 33);
        bass.Note(0, 1, 38, 100, 960);
        bass.Note(960, 1, 33, 90, 5000);
        bass.EndAt(7680);

        byte[] file = writer.ToBytes();
        SmfFile parsed = DemoSmfReader.Parse(file);

        Assert.Equal(1, parsed.Format);
        Assert.Equal(480, parsed.Division);
        Assert.Equal(3, parsed.Tracks.Count);
        Assert.Equal(["conductor", "drums", "bass"], parsed.Tracks.Select(t => t.Name));
        Assert.Equal([0, 9, 2], parsed.Tracks.Select(t => t.Notes.Count));
        Assert.Equal([0, 9, 2], writer.Tracks.Select(t => t.NoteCount));

        // 100 BPM = 600 000 µs per quarter note (meta event 0x51).
        Assert.Equal((0L, 600_000), Assert.Single(parsed.Tracks[0].Tempos));
        Assert.All(parsed.Tracks[1].Notes, n => Assert.Equal(9, n.Channel));
        Assert.Contains(parsed.Tracks[1].Controls, c => c is (0, 9, 91, 0));
        Assert.Equal((0L, 1, 33), Assert.Single(parsed.Tracks[2].Programs));

        // The end-of-track event sits at EndAt when that is later than the last note-off…
        Assert.Equal(7680, parsed.Tracks[2].EndTick);

        // …and right after the last event otherwise.
        Assert.Equal(7 * 240 + 120, parsed.Tracks[1].EndTick);
        Assert.Equal(new SmfNote(1, 33, 90, 960, 5960), parsed.Tracks[2].Notes[1]);
    }

    [Fact]
    public void Repeated_key_releases_before_it_strikes_again()
    {
        var writer = new MidiWriter(96);
        MidiTrack track = writer.AddTrack("t");
        // Added out of order on purpose: the writer sorts by tick.
        track.Note(96, 0, 60, 70, 96);
        track.Note(0, 0, 60, 100, 96);
        SmfFile parsed = DemoSmfReader.Parse(writer.ToBytes());

        // The parser pairs in FIFO order; if the note-off at tick 96 came after the second note-on,
        // the first note would end at 96 but the second would be cut short or left hanging.
        Assert.Equal(
            [new SmfNote(0, 60, 100, 0, 96), new SmfNote(0, 60, 70, 96, 192)],
            parsed.Tracks[0].Notes.OrderBy(n => n.Start));
    }

    [Fact]
    public void Chunk_lengths_cover_exactly_the_track_bytes()
    {
        var writer = new MidiWriter();
        writer.AddTrack("a").Note(0, 0, 64, 64, 1);
        byte[] file = writer.ToBytes();

        // MThd(4) len(4)=6 format(2)=1 ntrks(2)=1 division(2)=480
        Assert.Equal("MThd"u8.ToArray(), file[..4]);
        Assert.Equal(new byte[] { 0, 0, 0, 6, 0, 1, 0, 1, 0x01, 0xE0 }, file[4..14]);
        Assert.Equal("MTrk"u8.ToArray(), file[14..18]);
        int length = (file[18] << 24) | (file[19] << 16) | (file[20] << 8) | file[21];
        Assert.Equal(file.Length - 22, length);

        // Track name "a", note-on, note-off one tick later, end of track.
        byte[] expectedBody =
        [
            0x00, 0xFF, 0x03, 0x01, (byte)'a',
            0x00, 0x90, 64, 64,
            0x01, 0x80, 64, 64,
            0x00, 0xFF, 0x2F, 0x00,
        ];
        Assert.Equal(expectedBody, file[22..]);
    }

    [Theory]
    [InlineData(16, 60, 64, 1)]
    [InlineData(-1, 60, 64, 1)]
    [InlineData(0, 128, 64, 1)]
    [InlineData(0, 60, 0, 1)]
    [InlineData(0, 60, 128, 1)]
    [InlineData(0, 60, 64, 0)]
    public void Out_of_range_note_fields_are_refused(int channel, int key, int velocity, int duration)
    {
        MidiTrack track = new MidiWriter().AddTrack("t");
        Assert.Throws<ArgumentOutOfRangeException>(() => track.Note(0, channel, key, velocity, duration));
    }

    [Fact]
    public void An_empty_file_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => new MidiWriter().ToBytes());
}
