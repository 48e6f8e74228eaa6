namespace MixMate.Assistant.Problems;

/// <summary>How bad a problem is. <see cref="Error"/>: the file would be rejected or is audibly
/// damaged; <see cref="Warning"/>: likely a mistake worth fixing; <see cref="Info"/>: worth
/// knowing. Ordered, so <c>severity &gt;= Warning</c> reads naturally.</summary>
public enum ProblemSeverity
{
    Info,
    Warning,
    Error,
}
