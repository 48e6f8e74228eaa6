namespace MixMate.Cli.Demo;

/// <summary>One note of the demo score, in ticks of <see cref="DemoSong.TicksPerQuarter"/> per
/// quarter note; <see cref="Key"/> is the MIDI key (60 = middle C, C4).</summary>
internal readonly record struct DemoNote(long Tick, long Duration, int Key, int Velocity);
