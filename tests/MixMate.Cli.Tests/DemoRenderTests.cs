using System.Globalization;
using MixMate.Cli.Audio;
using MixMate.Cli.Demo;
using MixMate.Dsp;
using MixMate.Dsp.Spectrum;
using MixMate.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace MixMate.Cli.Tests.Demo;

/// <summary>
/// Renders the demo with FluidSynth (cached in the shared demo folder, so only the first run of a
/// machine pays for it). FluidSynth and the FluidR3 soundfont are part of the setup: when they are
/// missing these tests fail with the renderer's one-line message rather than skip.
/// </summary>
public sealed class DemoRenderTests(ITestOutputHelper output)
{
    private static readonly Lazy<DemoRender> s_render = new(() => DemoSong.EnsureRendered());

    private static DemoRender Render => s_render.Value;

    [Fact]
    public void Stems_and_mix_are_48k_stereo_of_identical_length()
    {
        Assert.Equal(["drums", "bass", "keys", "lead"], Render.Stems.Select(s => s.Name));
        Assert.Equal(48000, Render.SampleRate);
        Assert.Equal(1_920_000, Render.Frames);
        foreach (string path in Render.Stems.Select(s => s.Path).Append(Render.MixPath))
        {
            using AudioFileReader reader = AudioFileReader.Open(path);
            Assert.Equal(48000, reader.SampleRate);
            Assert.Equal(2, reader.Channels);
            Assert.Equal(Render.Frames, reader.Frames);
        }
    }

    [Fact]
    public void Every_stem_is_audible_and_below_full_scale()
    {
        foreach (DemoRender.Stem stem in Render.Stems)
        {
            PlanarBuffer audio = PlanarBuffer.Load(stem.Path);
            ReferenceLoudness loudness = Ebur128Reference.Measure(Interleave(audio), audio.Channels, audio.SampleRate);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{stem.Name,-6} I {loudness.IntegratedLufs,6:0.0} LUFS  LRA {loudness.LoudnessRangeLu,4:0.0} LU  TP {loudness.TruePeakDbtp,6:0.0} dBTP  SP {loudness.SamplePeakDbfs,6:0.0} dBFS"));

            Assert.True(double.IsFinite(loudness.IntegratedLufs), $"{stem.Name} is silent");
            Assert.InRange(loudness.IntegratedLufs, -40.0, -14.0);
            Assert.True(loudness.TruePeakDbtp < -1.0, $"{stem.Name} true peak {loudness.TruePeakDbtp:0.00} dBTP is too close to clipping");
            Assert.True(loudness.SamplePeakDbfs < -1.0, $"{stem.Name} sample peak {loudness.SamplePeakDbfs:0.00} dBFS");

            // Both channels carry the part (stereo samples, panned mono parts still reach both sides).
            for (int c = 0; c < 2; c++)
            {
                Assert.True(Rms(audio[c]) > 1e-3, $"{stem.Name} channel {c} is nearly silent");
            }
        }
    }

    [Fact]
    public void Release_tails_fit_before_the_end()
    {
        // Every track ends 1.6 s after bar 16 so that releases (and the keys' and flute's reverb)
        // decay inside the file: the last 100 ms must be at least 50 dB below the stem's peak.
        int tail = Render.SampleRate / 10;
        foreach (DemoRender.Stem stem in Render.Stems)
        {
            PlanarBuffer audio = PlanarBuffer.Load(stem.Path);
            float peak = 0;
            float end = 0;
            for (int c = 0; c < audio.Channels; c++)
            {
                Span<float> channel = audio[c];
                foreach (float x in channel)
                {
                    peak = Math.Max(peak, Math.Abs(x));
                }

                foreach (float x in channel[^tail..])
                {
                    end = Math.Max(end, Math.Abs(x));
                }
            }

            Assert.True(end <= peak * Decibels.ToGain(-50), $"{stem.Name}: last 100 ms peak at {Decibels.FromGain(end / peak):0.0} dB re. its peak");
        }
    }

    [Fact]
    public void Stems_have_the_expected_spectral_centres()
    {
        // Over the whole song for the tonal parts; the drums over bars 1–2, where only the hi-hat plays.
        double bass = Centroid(PlanarBuffer.Load(Render.PathOf("bass")), 0, Render.Frames);
        double keys = Centroid(PlanarBuffer.Load(Render.PathOf("keys")), 0, Render.Frames);
        double lead = Centroid(PlanarBuffer.Load(Render.PathOf("lead")), 0, Render.Frames);
        int twoBars = (int)Math.Round(2 * 4 * 60.0 / DemoSong.BeatsPerMinute * Render.SampleRate);
        PlanarBuffer drums = PlanarBuffer.Load(Render.PathOf("drums"));
        double hats = Centroid(drums, 0, twoBars);
        double kit = Centroid(drums, 0, Render.Frames);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"spectral centroid: bass {bass:0} Hz, keys {keys:0} Hz, lead {lead:0} Hz, hi-hat intro {hats:0} Hz, full kit {kit:0} Hz"));

        Assert.InRange(bass, 40, 250);
        Assert.InRange(hats, 4000, 16000);
        Assert.True(bass < keys && keys < hats, "bass < keys < hi-hat");
        Assert.True(lead > keys, "the flute melody sits above the chords");
        Assert.True(kit < hats, "kick and snare pull the full kit below the hi-hat alone");
    }

    [Fact]
    public void Mix_is_the_sum_of_the_stems_with_headroom()
    {
        PlanarBuffer mix = PlanarBuffer.Load(Render.MixPath);
        PlanarBuffer[] stems = [.. Render.Stems.Select(s => PlanarBuffer.Load(s.Path))];

        float peak = 0;
        double dot = 0;
        double sumSquares = 0;
        for (int c = 0; c < mix.Channels; c++)
        {
            for (int i = 0; i < mix.Frames; i++)
            {
                float sum = 0;
                foreach (PlanarBuffer stem in stems)
                {
                    sum += stem[c][i];
                }

                peak = Math.Max(peak, Math.Abs(mix[c][i]));
                dot += (double)sum * mix[c][i];
                sumSquares += (double)sum * sum;
            }
        }

        double gain = dot / sumSquares;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mix peak {Decibels.FromGain(peak):0.00} dBFS, gain {Decibels.FromGain(gain):0.000} dB"));
        Assert.True(Decibels.FromGain(peak) <= StemMixer.CeilingDbfs + 0.01, $"mix peak {Decibels.FromGain(peak):0.00} dBFS");
        Assert.True(Decibels.FromGain(peak) > -20, "the mix is not silent");
        Assert.InRange(gain, 0.1, 1.0 + 1e-6);

        // Sample for sample, the mix is that one gain times the sum (float rounding only).
        for (int c = 0; c < mix.Channels; c++)
        {
            for (int i = 0; i < mix.Frames; i += 97)
            {
                float sum = 0;
                foreach (PlanarBuffer stem in stems)
                {
                    sum += stem[c][i];
                }

                Tolerance.AssertClose(gain * sum, mix[c][i], 1e-6, $"mix[{c}][{i}]");
            }
        }
    }

    [Fact]
    public void A_second_call_reuses_the_cache_untouched()
    {
        DemoRender first = Render;
        string[] files = [.. first.Stems.Select(s => s.Path), first.MixPath, Path.Combine(first.Folder, StemRenderer.ManifestName)];
        DateTime[] before = [.. files.Select(File.GetLastWriteTimeUtc)];

        DemoRender second = DemoSong.EnsureRendered();

        Assert.Equal(first.Stems, second.Stems);
        Assert.Equal(before, files.Select(File.GetLastWriteTimeUtc));
    }

    [Fact]
    public void A_stale_stem_is_rendered_again_and_only_it()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mixmate-demo-stale-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (string file in Directory.GetFiles(Render.Folder))
            {
                if (!Path.GetFileName(file).StartsWith('.'))
                {
                    File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
                }
            }

            string manifest = Path.Combine(folder, StemRenderer.ManifestName);
            var entries = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest))!;
            entries["lead"] = "0000";
            File.WriteAllText(manifest, System.Text.Json.JsonSerializer.Serialize(entries));
            var old = DateTime.UtcNow.AddHours(-1);
            foreach (string file in Directory.GetFiles(folder, "*.wav"))
            {
                File.SetLastWriteTimeUtc(file, old);
            }

            DemoRender again = DemoSong.EnsureRendered(folder);

            Assert.Equal(old, File.GetLastWriteTimeUtc(again.PathOf("drums")));
            Assert.Equal(old, File.GetLastWriteTimeUtc(again.PathOf("bass")));
            Assert.Equal(old, File.GetLastWriteTimeUtc(again.PathOf("keys")));
            Assert.NotEqual(old, File.GetLastWriteTimeUtc(again.PathOf("lead")));
            Assert.NotEqual(old, File.GetLastWriteTimeUtc(again.MixPath));

            // The re-rendered stem is the same music: same length, same loudness within 0.1 LU.
            PlanarBuffer fresh = PlanarBuffer.Load(again.PathOf("lead"));
            PlanarBuffer cached = PlanarBuffer.Load(Render.PathOf("lead"));
            Assert.Equal(cached.Frames, fresh.Frames);
            Tolerance.AssertClose(
                Ebur128Reference.Measure(Interleave(cached), 2, 48000).IntegratedLufs,
                Ebur128Reference.Measure(Interleave(fresh), 2, 48000).IntegratedLufs, 0.1, "lead loudness");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static float[] Interleave(PlanarBuffer audio)
    {
        var interleaved = new float[audio.Frames * audio.Channels];
        for (int c = 0; c < audio.Channels; c++)
        {
            Span<float> channel = audio[c];
            for (int i = 0; i < audio.Frames; i++)
            {
                interleaved[(i * audio.Channels) + c] = channel[i];
            }
        }

        return interleaved;
    }

    private static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (float x in samples)
        {
            sum += (double)x * x;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Power-weighted mean frequency of the long-term spectrum, 20 Hz upwards.</summary>
    private static double Centroid(PlanarBuffer audio, int start, long frames)
    {
        var spectrum = new LongTermSpectrum();
        spectrum.Configure(audio.SampleRate, audio.Channels, 4096, 4096);
        spectrum.Process(audio.Slice(start, (int)frames));
        double weighted = 0;
        double total = 0;
        ReadOnlySpan<double> power = spectrum.PowerSpectrum;
        for (int bin = 0; bin < power.Length; bin++)
        {
            double f = spectrum.BinFrequency(bin);
            if (f >= 20)
            {
                weighted += f * power[bin];
                total += power[bin];
            }
        }

        return weighted / total;
    }
}
