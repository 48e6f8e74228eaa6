using System.Diagnostics;
using System.Text.Json;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;

namespace MixMate.TonalEval;

/// <summary>The clean material: dev-set mixes and stems, espeak-ng speech; long-term power spectra cached.</summary>
internal static class Material
{
    private static readonly string[] Voices =
    [
        "en", "en-us", "en-gb-scotland", "en-gb-x-rp", "de", "fr", "es", "it", "pt", "nl", "sv", "pl",
        "cs", "ru", "fi", "da", "hu", "tr", "el", "ro", "en+f3", "en-us+f2", "de+f4", "fr+m3",
    ];

    private const string Text =
        "Welcome back to the show. Today we talk about how a small studio can sound as good as a big one. " +
        "First, the room matters more than the microphone: treat the corners, hang something soft behind you, " +
        "and keep the fan off while you record. Second, speak across the microphone, not into it, about a hand's width away. " +
        "Third, leave the processing for later; a clean recording can always be shaped, a noisy one cannot be saved. " +
        "After the break we answer your questions about levels, headphones and how loud a podcast should be.";

    public static List<Item> Load(string devset, string cache)
    {
        var items = new List<Item>();
        foreach (string soundFont in new[] { "FluidR3_GM", "TimGM6mb" })
        {
            string root = Path.Combine(devset, soundFont);
            if (!Directory.Exists(root))
            {
                continue;
            }

            List<string> openmsx = Directory.GetDirectories(root, "openmsx_*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            foreach (string songDir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            {
                string song = Path.GetFileName(songDir);
                Split split = song.StartsWith("blupi_", StringComparison.Ordinal) ? Split.Test
                    : soundFont != "FluidR3_GM" ? Split.Other
                    : openmsx.IndexOf(song) % 2 == 0 ? Split.Train : Split.Validation;
                items.Add(Measure(Path.Combine(songDir, "mix.wav"), $"{soundFont}/{song}/mix", song, soundFont, "mix", split, cache));

                // Stems where they are used: the training stems (role references) and the test stems.
                if (split is not (Split.Train or Split.Test))
                {
                    continue;
                }

                using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(songDir, "manifest.json")));
                foreach (JsonElement stem in manifest.RootElement.GetProperty("stems").EnumerateArray())
                {
                    if (split == Split.Test && soundFont != "TimGM6mb")
                    {
                        continue;
                    }

                    string file = stem.GetProperty("file").GetString()!;
                    string role = stem.GetProperty("role").GetString()!;
                    items.Add(Measure(Path.Combine(songDir, file), $"{soundFont}/{song}/{file}", song, soundFont, role, split, cache));
                }
            }
        }

        string speech = Path.Combine(cache, "speech");
        Directory.CreateDirectory(speech);
        for (int v = 0; v < Voices.Length; v++)
        {
            string voice = Voices[v];
            string wav = Path.Combine(speech, voice.Replace('+', '_') + ".wav");
            if (!File.Exists(wav))
            {
                using var p = Process.Start(new ProcessStartInfo("espeak-ng", ["-v", voice, "-s", "165", "-w", wav, Text]) { RedirectStandardError = true })!;
                p.WaitForExit();
                if (p.ExitCode != 0 || !File.Exists(wav))
                {
                    continue;
                }
            }

            // Voices split 3:1:1 by their position in the list (languages and variants mixed).
            Split split = (v % 5) switch { 3 => Split.Validation, 4 => Split.Test, _ => Split.Train };
            items.Add(Measure(wav, $"speech/{voice}", voice, "espeak-ng", "speech", split, cache));
        }

        return items;
    }

    private static Item Measure(string path, string name, string source, string soundFont, string content, Split split, string cache)
    {
        var info = new FileInfo(path);
        string key = Path.Combine(cache, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{path}|{info.Length}|{info.LastWriteTimeUtc.Ticks}")))[..24] + ".bin");
        if (File.Exists(key))
        {
            using var reader = new BinaryReader(File.OpenRead(key));
            double rate = reader.ReadDouble();
            int fft = reader.ReadInt32();
            int count = reader.ReadInt32();
            var power = new double[count];
            for (int i = 0; i < count; i++)
            {
                power[i] = reader.ReadDouble();
            }

            return new Item(name, source, soundFont, content, split, power, rate, fft);
        }

        (float[][] channels, double sampleRate) = Wav.Read(path);
        int frames = channels[0].Length;
        var samples = new float[channels.Length * frames];
        for (int c = 0; c < channels.Length; c++)
        {
            channels[c].CopyTo(samples, c * frames);
        }

        var block = new AudioBlock(samples, channels.Length, frames, frames);
        var spectrum = new LongTermSpectrum();
        spectrum.Configure(sampleRate, channels.Length, 4096);
        if (frames > 64L * spectrum.FftSize)
        {
            spectrum.Hop = spectrum.FftSize;
        }

        for (int start = 0; start < frames; start += 65536)
        {
            spectrum.Process(block.Slice(start, Math.Min(65536, frames - start)));
        }

        double[] result = spectrum.PowerSpectrum.ToArray();
        using (var writer = new BinaryWriter(File.Create(key)))
        {
            writer.Write(sampleRate);
            writer.Write(spectrum.FftSize);
            writer.Write(result.Length);
            foreach (double x in result)
            {
                writer.Write(x);
            }
        }

        return new Item(name, source, soundFont, content, split, result, sampleRate, spectrum.FftSize);
    }
}
