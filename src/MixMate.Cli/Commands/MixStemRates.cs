using System.Globalization;
using MixMate.Assistant.Resampling;
using MixMate.Cli.Audio;
using MixMate.Cli.CommandLine;

namespace MixMate.Cli.Commands;

/// <summary>
/// Brings the stems of a mix to one sample rate: the highest among them unless one is asked for.
/// A stem at another rate is converted once (<see cref="Resampler"/>) into a temporary 32-bit float
/// WAV (same name, private folder) that the mix then streams like any stem; the temporaries go when this is disposed.
/// </summary>
/// <remarks>[main-thread]</remarks>
internal sealed class MixStemRates : IDisposable
{
    private readonly List<string> _temporaries = [];

    private MixStemRates(IReadOnlyList<string> paths, IReadOnlyList<MixReportResampled> resampled)
    {
        Paths = paths;
        Resampled = resampled;
    }

    /// <summary>The files to mix, in the stems' order: the stem itself or its converted copy.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The stems that were converted.</summary>
    public IReadOnlyList<MixReportResampled> Resampled { get; }

    /// <summary>[main-thread] Reads every header, picks the rate and converts what differs.</summary>
    /// <exception cref="CliException">A stem cannot be read.</exception>
    public static MixStemRates Prepare(IReadOnlyList<string> stems, int? rate, List<string> notes)
    {
        int[] rates = new int[stems.Count];
        for (int i = 0; i < stems.Count; i++)
        {
            using AudioFileReader reader = AudioFileReader.Open(stems[i]);
            rates[i] = reader.SampleRate;
        }

        int target = rate ?? (rates.Length == 0 ? 0 : rates.Max());
        var paths = new string[stems.Count];
        var resampled = new List<MixReportResampled>();
        var result = new MixStemRates(paths, resampled);
        try
        {
            for (int i = 0; i < stems.Count; i++)
            {
                paths[i] = stems[i];
                if (rates[i] == target)
                {
                    continue;
                }

                PlanarBuffer converted = PlanarBuffer.Load(stems[i]).ResampledTo(target);
                // Same file name in a private folder: the analysis reads the stem's name.
                string folder = Path.Combine(Path.GetTempPath(), $"mixmate-resampled-{Guid.NewGuid():N}");
                Directory.CreateDirectory(folder);
                result._temporaries.Add(folder);
                string temporary = Path.Combine(folder, Path.GetFileNameWithoutExtension(stems[i]) + ".wav");
                converted.Save(temporary, SampleFormat.Float32);
                paths[i] = temporary;
                resampled.Add(new MixReportResampled(stems[i], rates[i], target));
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{stems[i]}: resampled {rates[i]} Hz → {target} Hz"));
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>[main-thread] Deletes the converted copies.</summary>
    public void Dispose()
    {
        foreach (string folder in _temporaries)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A temporary file left in /tmp is harmless; the mix itself succeeded or failed already.
            }
        }

        _temporaries.Clear();
    }
}
