namespace MixMate.Cli.Demo;

/// <summary>
/// One part of the demo song: its score, the General MIDI program and channel that play it, whether
/// it is rendered with the synthesizer's reverb, and its own Standard MIDI File.
/// </summary>
/// <param name="Name">File-name friendly: "drums", "bass", "keys", "lead".</param>
/// <param name="Channel">0-based MIDI channel (9 = GM percussion).</param>
/// <param name="Program">0-based GM program number.</param>
/// <param name="Reverb">Render with FluidSynth's reverb on (the part's CC 91 sets its send).</param>
/// <param name="Notes">The notes, in the order they were composed.</param>
/// <param name="Midi">The SMF bytes (format 1: conductor track + this part).</param>
internal sealed record DemoStem(string Name, int Channel, int Program, bool Reverb, IReadOnlyList<DemoNote> Notes, byte[] Midi);
