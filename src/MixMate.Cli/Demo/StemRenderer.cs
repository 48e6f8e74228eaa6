using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;
using MixMate.Cli.Output;

namespace MixMate.Cli.Demo;

/// <summary>
/// Renders the demo stems with FluidSynth into a cache folder and sums them. A manifest records the
/// hash of what produced each file (MIDI bytes, synthesizer settings, soundfont identity, length), so
/// a second call reuses the files untouched; a lock file serialises concurrent callers (parallel
/// tests, setup script) across processes.
/// </summary>
internal static class StemRenderer
{
    public const int SampleRate = 48000;
    public const int Channels = 2;
    public const string SoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
    public const string ManifestName = "manifest.json";

    /// <summary>Bumped when anything about how files are produced changes outside the hashed inputs.</summary>
    private const string RecipeVersion = "demo-render-1";

    /// <summary>Output gain of the synthesizer: FluidSynth's default 0.2 leaves the stems ~8 dB lower;
    /// 0.5 gives healthy levels without overs for these parts.</summary>
    private const string SynthGain = "0.5";

    /// <summary>Frames of every stem: the song's fixed length at 48 kHz.</summary>
    public static long Frames => (long)Math.Round(DemoSong.DurationSeconds * SampleRate);

    /// <summary>[any thread] The cache folder: env MIXMATE_DEMO_DIR, else $XDG_CACHE_HOME/mixmate/demo,
    /// else ~/.cache/mixmate/demo (XDG Base Directory Specification 0.8).</summary>
    public static string DefaultFolder()
    {
        string? explicitFolder = Environment.GetEnvironmentVariable("MIXMATE_DEMO_DIR");
        if (!string.IsNullOrEmpty(explicitFolder))
        {
            return Path.GetFullPath(explicitFolder);
        }

        string? cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache) || !Path.IsPathRooted(cache))
        {
            // The spec says relative XDG paths are invalid and must be ignored.
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }

        return Path.Combine(cache, "mixmate", "demo");
    }

    /// <summary>[any thread, not real-time] Makes sure every stem and the mix exist in
    /// <paramref name="folder"/> and match <paramref name="stems"/>; renders what is missing or stale
    /// (everything when <paramref name="force"/>). <paramref name="progress"/> receives 0..1.</summary>
    /// <exception cref="CliException">FluidSynth or the soundfont is missing, the folder is not
    /// writable, or FluidSynth failed.</exception>
    public static DemoRender EnsureRendered(IReadOnlyList<DemoStem> stems, string folder, bool force, Action<double>? progress)
    {
        folder = Path.GetFullPath(folder);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.ForFile(folder, $"cannot create the demo folder: {e.Message}");
        }

        using FileStream gate = AcquireLock(folder);
        Dictionary<string, string> manifest = ReadManifest(folder);
        string soundFontIdentity = SoundFontIdentity();

        var result = new List<DemoRender.Stem>(stems.Count);
        var keys = new StringBuilder(RecipeVersion);
        int done = 0;
        int steps = stems.Count + 1;
        foreach (DemoStem stem in stems)
        {
            string key = StemKey(stem, soundFontIdentity);
            keys.Append(' ').Append(key);
            string wav = Path.Combine(folder, stem.Name + ".wav");
            if (force || !IsCurrent(manifest, stem.Name, key, wav))
            {
                manifest.Remove(stem.Name);
                manifest.Remove("mix");
                Render(stem, folder, wav);
                manifest[stem.Name] = key;
                WriteManifest(folder, manifest);
            }

            result.Add(new DemoRender.Stem(stem.Name, wav));
            progress?.Invoke(++done / (double)steps);
        }

        string mixKey = Hash(Encoding.UTF8.GetBytes(keys.Append(" mix ").Append(StemMixer.CeilingDbfs.ToString(CultureInfo.InvariantCulture)).ToString()));
        string mixPath = Path.Combine(folder, StemMixer.MixFileName);
        if (force || !IsCurrent(manifest, "mix", mixKey, mixPath))
        {
            var buffers = new List<PlanarBuffer>(result.Count);
            foreach (DemoRender.Stem stem in result)
            {
                buffers.Add(PlanarBuffer.Load(stem.Path));
            }

            (PlanarBuffer mix, _) = StemMixer.Sum(buffers);
            AtomicFile.Write(mixPath, path => mix.Save(path, SampleFormat.Float32));
            manifest["mix"] = mixKey;
            WriteManifest(folder, manifest);
        }

        progress?.Invoke(1);
        return new DemoRender(folder, result, mixPath, SampleRate, Frames);
    }

    /// <summary>The cache key of one stem: everything that determines its audio.</summary>
    internal static string StemKey(DemoStem stem, string soundFontIdentity)
    {
        string settings = string.Join(' ', RecipeVersion, string.Join(' ', FluidSynthOptions(stem)), soundFontIdentity,
            Frames.ToString(CultureInfo.InvariantCulture));
        byte[] settingsBytes = Encoding.UTF8.GetBytes(settings);
        return Hash([.. settingsBytes, .. stem.Midi]);
    }

    private static string[] FluidSynthOptions(DemoStem stem) =>
    [
        "-ni", "-q", "-g", SynthGain,
        "-R", stem.Reverb ? "1" : "0",
        "-C", "0",
        "-r", SampleRate.ToString(CultureInfo.InvariantCulture),
        "-O", "float", "-T", "wav",
    ];

    private static void Render(DemoStem stem, string folder, string wav)
    {
        string midi = Path.Combine(folder, stem.Name + ".mid");
        AtomicFile.Write(midi, path => File.WriteAllBytes(path, stem.Midi));

        string raw = AtomicFile.TemporaryPathFor(wav);
        try
        {
            RunFluidSynth(stem, midi, raw);
            PlanarBuffer rendered = PlanarBuffer.Load(raw);
            if (rendered.SampleRate != SampleRate || rendered.Channels != Channels)
            {
                throw CliException.ForFile(raw, string.Create(CultureInfo.InvariantCulture,
                    $"FluidSynth wrote {rendered.Channels} channels at {rendered.SampleRate} Hz, expected {Channels} at {SampleRate}"));
            }

            // FluidSynth's fast render runs on past the last end-of-track event (about 2 s with
            // 2.3.1) and in whole periods: trim, or zero-pad should another version stop earlier,
            // to the exact song length so every stem lines up sample for sample.
            var exact = new PlanarBuffer(Channels, (int)Frames, SampleRate);
            int keep = Math.Min(rendered.Frames, exact.Frames);
            for (int c = 0; c < Channels; c++)
            {
                rendered[c][..keep].CopyTo(exact[c]);
            }

            AtomicFile.Write(wav, path => exact.Save(path, SampleFormat.Float32));
        }
        finally
        {
            File.Delete(raw);
        }
    }

    private static void RunFluidSynth(DemoStem stem, string midi, string output)
    {
        var start = new ProcessStartInfo("fluidsynth")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string option in FluidSynthOptions(stem))
        {
            start.ArgumentList.Add(option);
        }

        start.ArgumentList.Add("-F");
        start.ArgumentList.Add(output);
        start.ArgumentList.Add(SoundFont);
        start.ArgumentList.Add(midi);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CliException("demo: could not start fluidsynth", ExitCodes.InternalError);
        }
        catch (Win32Exception)
        {
            throw new CliException("demo: fluidsynth is not installed or not on PATH (Debian: apt-get install fluidsynth)", ExitCodes.InternalError);
        }

        using (process)
        {
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            string messages = (stderr.GetAwaiter().GetResult() + "\n" + stdout.GetAwaiter().GetResult()).Trim();
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                string last = messages.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
                throw new CliException($"demo: fluidsynth failed on {stem.Name} (exit {process.ExitCode}): {last}", ExitCodes.InternalError);
            }
        }
    }

    /// <summary>Path, size and modification time: enough to notice another soundfont without
    /// hashing 148 MB on every call.</summary>
    private static string SoundFontIdentity()
    {
        var info = new FileInfo(SoundFont);
        if (!info.Exists)
        {
            throw new CliException($"demo: soundfont {SoundFont} not found (Debian: apt-get install fluid-soundfont-gm)", ExitCodes.InternalError);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{SoundFont}:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
    }

    private static bool IsCurrent(Dictionary<string, string> manifest, string name, string key, string path)
    {
        if (!manifest.TryGetValue(name, out string? recorded) || recorded != key || !File.Exists(path))
        {
            return false;
        }

        try
        {
            using AudioFileReader reader = AudioFileReader.Open(path);
            return reader.Frames == Frames && reader.Channels == Channels && reader.SampleRate == SampleRate;
        }
        catch (CliException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> ReadManifest(string folder)
    {
        string path = Path.Combine(folder, ManifestName);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), StemManifestJsonContext.Default.DictionaryStringString) ?? [];
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            // Missing or damaged: everything is rendered again.
            return [];
        }
    }

    private static void WriteManifest(string folder, Dictionary<string, string> manifest) =>
        AtomicFile.WriteText(Path.Combine(folder, ManifestName), JsonSerializer.Serialize(manifest, StemManifestJsonContext.Default.DictionaryStringString) + "\n");

    private static FileStream AcquireLock(string folder)
    {
        // FileShare.None takes an exclusive advisory lock on Unix, honoured by other .NET processes.
        string path = Path.Combine(folder, ".lock");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(10))
            {
                Thread.Sleep(100);
            }
            catch (UnauthorizedAccessException e)
            {
                throw CliException.ForFile(folder, $"cannot write in the demo folder: {e.Message}");
            }
        }
    }

    private static string Hash(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
