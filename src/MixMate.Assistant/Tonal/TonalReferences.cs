using System.Text.Json;
using MixMate.Dsp.Spectrum;

namespace MixMate.Assistant.Tonal;

/// <summary>
/// The content-aware references learned from clean allowed material
/// (<c>models/tonal/references.json</c>, built into the assembly; see <c>models/tonal/MODEL_CARD.md</c>):
/// one for mixes, one for speech, one per role with enough clean stems, and a pooled one for other
/// single tracks. Read once; shared by the CLI and the plug-in.
/// </summary>
public static class TonalReferences
{
    /// <summary>Name of the mix reference.</summary>
    public const string Mix = "mix";

    /// <summary>Name of the speech reference.</summary>
    public const string Speech = "speech";

    /// <summary>Name of the pooled single-track reference (a role without its own).</summary>
    public const string Track = "track";

    private const string ResourceName = "MixMate.Assistant.Tonal.references.json";

    private static readonly Lazy<IReadOnlyDictionary<string, TonalReference>> All = new(Load);

    /// <summary>[any thread] Names of the references available.</summary>
    public static IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)All.Value.Keys;

    /// <summary>[any thread] The reference called <paramref name="name"/>, or null.</summary>
    public static TonalReference? Find(string name) => All.Value.TryGetValue(name, out TonalReference? r) ? r : null;

    /// <summary>[any thread] The reference for a track of <paramref name="role"/> (one of
    /// <c>TrackRoles.All</c>, or null when unknown): the role's own when it has one, <see cref="Mix"/> for
    /// <c>mix</c> or an unknown role, else the pooled <see cref="Track"/> reference.</summary>
    public static TonalReference ForRole(string? role)
    {
        if (role is null || role == Mix)
        {
            return Find(Mix)!;
        }

        return Find(role) ?? Find(Track) ?? Find(Mix)!;
    }

    /// <summary>[any thread] The reference for a programme: speech when it is speech, else the mix.</summary>
    public static TonalReference ForProgramme(bool speech) => speech ? Find(Speech) ?? Find(Mix)! : Find(Mix)!;

    private static Dictionary<string, TonalReference> Load()
    {
        var result = new Dictionary<string, TonalReference>(StringComparer.Ordinal);
        using Stream? stream = typeof(TonalReferences).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is not null)
        {
            using JsonDocument doc = JsonDocument.Parse(stream);
            foreach (JsonElement r in doc.RootElement.GetProperty("references").EnumerateArray())
            {
                string name = r.GetProperty("name").GetString() ?? throw new InvalidDataException("tonal reference without a name");
                result[name] = new TonalReference(name, Values(r, "meanDb"), Values(r, "spreadDb"), Values(r, "narrowSpreadDb"),
                    r.GetProperty("examples").GetInt32());
            }
        }

        if (!result.ContainsKey(Mix))
        {
            result[Mix] = HandMadeMix();
        }

        return result;
    }

    private static double[] Values(JsonElement r, string property) =>
        [.. r.GetProperty(property).EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN)];

    // The documented full-mix curve with a generous spread, for a build without the learned file.
    private static TonalReference HandMadeMix()
    {
        int n = TwelfthOctaveBands.Count;
        var mean = new double[n];
        var spread = new double[n];
        var narrow = new double[n];
        ReadOnlySpan<double> third = TonalTarget.FullMix.BandsDb;
        for (int i = 0; i < n; i++)
        {
            double position = Math.Clamp(i / 4.0, 0, ThirdOctaveBands.Count - 1);
            int low = (int)Math.Floor(position);
            int high = Math.Min(low + 1, ThirdOctaveBands.Count - 1);
            mean[i] = third[low] + ((position - low) * (third[high] - third[low]));
            spread[i] = 4;
            narrow[i] = 1.5;
        }

        return new TonalReference(Mix, mean, spread, narrow, 0);
    }
}
