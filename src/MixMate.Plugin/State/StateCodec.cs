using System.Buffers.Binary;
using MixMate.Plugin.Parameters;

namespace MixMate.Plugin.State;

/// <summary>
/// The plug-in's saved state, versioned. Layout (little-endian):
/// <c>"MXMT"</c> · u16 version (1) · u16 kind · u16 parameter count · u16 extra count ·
/// count × (u32 id, f64 normalized) · extras × f64 · u32 FNV-1a of everything before.
/// Normalized values are stored as-is, so save → load → save is byte-identical. Read-only
/// (meter) parameters are not stored. Loading is total: anything that does not check out —
/// wrong magic, newer version, other kind, bad length, checksum — yields the defaults; unknown
/// IDs are skipped and missing ones keep their defaults, so old sessions load in new builds.
/// </summary>
/// <remarks>[main thread] Allocates (state is never touched on the audio thread).</remarks>
public static class StateCodec
{
    public const ushort Version = 1;
    private const uint Magic = 0x544D584D; // "MXMT" read as little-endian u32
    private const int HeaderBytes = 12;
    private const int EntryBytes = 12;

    /// <summary>Serializes the writable parameters' normalized values and the extras.</summary>
    public static byte[] Write(ushort kind, ParameterSet parameters, ReadOnlySpan<double> normalized, ReadOnlySpan<double> extras)
    {
        int stored = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            stored += parameters[i].IsReadOnly ? 0 : 1;
        }

        var bytes = new byte[HeaderBytes + stored * EntryBytes + extras.Length * 8 + 4];
        Span<byte> s = bytes;
        BinaryPrimitives.WriteUInt32LittleEndian(s, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], kind);
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], (ushort)stored);
        BinaryPrimitives.WriteUInt16LittleEndian(s[10..], (ushort)extras.Length);
        int at = HeaderBytes;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].IsReadOnly)
            {
                continue;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(s[at..], parameters[i].Id);
            BinaryPrimitives.WriteDoubleLittleEndian(s[(at + 4)..], normalized[i]);
            at += EntryBytes;
        }

        foreach (double e in extras)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(s[at..], e);
            at += 8;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(s[at..], Fnv1a(s[..at]));
        return bytes;
    }

    /// <summary>Fills <paramref name="normalized"/> and <paramref name="extras"/> from
    /// <paramref name="data"/>, or with defaults (extras: NaN) when the data is not a valid state
    /// of this kind. Returns whether the data was valid.</summary>
    public static bool Read(ReadOnlySpan<byte> data, ushort kind, ParameterSet parameters, Span<double> normalized, Span<double> extras)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            normalized[i] = parameters[i].DefaultNormalized;
        }

        extras.Fill(double.NaN);
        if (data.Length < HeaderBytes + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadUInt16LittleEndian(data[4..]) != Version
            || BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) != kind)
        {
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        int extraCount = BinaryPrimitives.ReadUInt16LittleEndian(data[10..]);
        int end = HeaderBytes + count * EntryBytes + extraCount * 8;
        if (data.Length != end + 4 || BinaryPrimitives.ReadUInt32LittleEndian(data[end..]) != Fnv1a(data[..end]))
        {
            return false;
        }

        int at = HeaderBytes;
        for (int k = 0; k < count; k++, at += EntryBytes)
        {
            int index = parameters.IndexOf(BinaryPrimitives.ReadUInt32LittleEndian(data[at..]));
            double value = BinaryPrimitives.ReadDoubleLittleEndian(data[(at + 4)..]);
            if (index >= 0 && !parameters[index].IsReadOnly && value is >= 0.0 and <= 1.0)
            {
                normalized[index] = value;
            }
        }

        for (int k = 0; k < extraCount; k++, at += 8)
        {
            if (k < extras.Length)
            {
                extras[k] = BinaryPrimitives.ReadDoubleLittleEndian(data[at..]);
            }
        }

        return true;
    }

    // FNV-1a, 32-bit (offset basis 2166136261, prime 16777619): catches truncation and bit rot;
    // not a security measure.
    private static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 16777619;
        }

        return hash;
    }
}
