using System.Text.Json;
using System.Text.Json.Serialization;
using MixMate.Dsp.Filters;

namespace MixMate.Assistant.Eq;

/// <summary>Writes and reads a <see cref="FilterType"/> as its report name (<see cref="FilterNames.Json"/>).</summary>
public sealed class FilterTypeJsonConverter : JsonConverter<FilterType>
{
    /// <inheritdoc />
    public override FilterType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? name = reader.GetString();
        try
        {
            return FilterNames.ParseJson(name ?? string.Empty);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, FilterType value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(FilterNames.Json(value));
    }
}
