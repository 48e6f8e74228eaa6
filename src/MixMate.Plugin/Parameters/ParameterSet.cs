namespace MixMate.Plugin.Parameters;

/// <summary>
/// The ordered parameter list of one plug-in kind, with an allocation-free ID → index lookup
/// (IDs are small and dense enough for a table).
/// </summary>
/// <remarks>[any thread] Immutable after construction.</remarks>
public sealed class ParameterSet
{
    private readonly ParameterDefinition[] _definitions;
    private readonly int[] _indexById;

    public ParameterSet(params ParameterDefinition[] definitions)
    {
        _definitions = definitions;
        uint maxId = 0;
        foreach (ParameterDefinition d in definitions)
        {
            maxId = Math.Max(maxId, d.Id);
        }

        if (maxId > 4095)
        {
            throw new ArgumentException("Parameter IDs above 4095 need a different lookup.", nameof(definitions));
        }

        _indexById = new int[maxId + 1];
        Array.Fill(_indexById, -1);
        for (int i = 0; i < definitions.Length; i++)
        {
            if (_indexById[definitions[i].Id] >= 0)
            {
                throw new ArgumentException($"Duplicate parameter ID {definitions[i].Id}.", nameof(definitions));
            }

            _indexById[definitions[i].Id] = i;
        }
    }

    public int Count => _definitions.Length;

    public ParameterDefinition this[int index] => _definitions[index];

    /// <summary>[any thread] Index of <paramref name="id"/>, or −1 for an unknown ID.</summary>
    public int IndexOf(uint id) => id < (uint)_indexById.Length ? _indexById[id] : -1;
}
