namespace MixMate.Plugin.State;

/// <summary>
/// What a loaded state holds beside the parameters: for version 3 its typed fields; for the
/// versions before (1 and 2) the positional extras (as many doubles as the state stored) and
/// the blob (version 2; empty for version 1). An invalid state holds nothing
/// (<see cref="Version"/> 0): the plug-in keeps its defaults.
/// </summary>
/// <remarks>[main thread] Immutable once read.</remarks>
public sealed class StoredState
{
    private StoredState(ushort version, double[] extras, byte[] blob, StateFields fields)
    {
        Version = version;
        LegacyExtras = extras;
        LegacyBlob = blob;
        Fields = fields;
    }

    /// <summary>Nothing loaded (invalid data).</summary>
    public static StoredState None => new(0, [], [], new StateFields());

    /// <summary>The layout version read; 0 for invalid data.</summary>
    public ushort Version { get; }

    /// <summary>Whether this is a version 1 or 2 state (positional extras and blob).</summary>
    public bool IsLegacy => Version is 1 or 2;

    /// <summary>Version 1/2: the extras as stored (a plug-in pads missing ones with NaN).</summary>
    public IReadOnlyList<double> LegacyExtras { get; }

    /// <summary>Version 2: the blob (empty for version 1).</summary>
    public byte[] LegacyBlob { get; }

    /// <summary>Version 3: the plug-in's fields (empty otherwise).</summary>
    public StateFields Fields { get; }

    internal static StoredState Legacy(ushort version, double[] extras, byte[] blob) => new(version, extras, blob, new StateFields());

    internal static StoredState Typed(StateFields fields) => new(StateCodec.Version, [], [], fields);
}
