using System.Collections.Frozen;
using System.Text.Json;
using MixMate.Assistant.Models;

namespace MixMate.Assistant.Balance;

/// <summary>
/// The balance table learned from material people balanced (<c>models/balance/role_offsets.json</c>,
/// documented in <c>models/balance/MODEL_CARD.md</c>), with the fitted regularised table
/// (<see cref="RoleBalanceTable.Default"/>) as the fallback when the file is missing, not listed in
/// the checksums or unreadable.
/// </summary>
public static class LearnedBalanceTable
{
    /// <summary>The file, relative to the models folder.</summary>
    public const string RelativePath = "balance/role_offsets.json";

    /// <summary>[any thread but the audio thread] The learned table in <paramref name="modelsDirectory"/>
    /// (null: <see cref="ModelFiles.FindDirectory"/>), else <see cref="RoleBalanceTable.Default"/>;
    /// <paramref name="problem"/> says why the fallback was taken (null when the learned table loaded).</summary>
    public static RoleBalanceTable Load(string? modelsDirectory, out string? problem)
    {
        string? directory = modelsDirectory ?? ModelFiles.FindDirectory();
        if (directory is null)
        {
            problem = "no models folder found";
            return RoleBalanceTable.Default;
        }

        problem = ModelFiles.Verify(directory, RelativePath);
        if (problem is not null)
        {
            return RoleBalanceTable.Default;
        }

        try
        {
            return Parse(File.ReadAllText(Path.Combine(directory, RelativePath)));
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            problem = $"{RelativePath} is unreadable ({e.Message})";
            return RoleBalanceTable.Default;
        }
    }

    /// <summary>[any thread] Reads the table's JSON: <c>measure</c> ("active" or "integrated"),
    /// <c>shareSameRole</c>, <c>unknownLu</c> and <c>targetsLu</c> (LU per role).</summary>
    /// <exception cref="FormatException">A field is missing or out of range.</exception>
    public static RoleBalanceTable Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        var targets = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (JsonProperty p in root.GetProperty("targetsLu").EnumerateObject())
        {
            double lu = p.Value.GetDouble();
            if (!double.IsFinite(lu) || Math.Abs(lu) > BalanceEngine.MaxGainDb)
            {
                throw new FormatException($"target of {p.Name} is {lu} LU");
            }

            targets[p.Name] = lu;
        }

        BalanceMeasure measure = root.GetProperty("measure").GetString() switch
        {
            "active" => BalanceMeasure.Active,
            "integrated" => BalanceMeasure.Integrated,
            string other => throw new FormatException($"measure '{other}' (active or integrated)"),
            null => throw new FormatException("measure is null"),
        };
        return new RoleBalanceTable(targets.ToFrozenDictionary(), root.GetProperty("unknownLu").GetDouble())
        {
            Measure = measure,
            ShareSameRole = root.GetProperty("shareSameRole").GetBoolean(),
            Name = "learned table",
            ActiveMinusIntegratedPerLu = Optional(root, "activeMinusIntegratedPerLu"),
            CrestPerLu = Optional(root, "crestPerLu"),
            PerActiveFraction = Optional(root, "perActiveFraction"),
        };
    }

    private static double Optional(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value))
        {
            return 0;
        }

        double x = value.GetDouble();
        return double.IsFinite(x) && Math.Abs(x) <= 10 ? x : throw new FormatException($"{name} is {x}");
    }
}
