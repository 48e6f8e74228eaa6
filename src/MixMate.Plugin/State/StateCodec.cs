using System.Buffers.Binary;
using MixMate.Plugin.Parameters;

namespace MixMate.Plugin.State;

/// <summary>
/// The plug-in's saved state, versioned. Layout (little-endian):
/// <c>"MXMT"</c> · u16 version (2) · u16 kind · u16 parameter count · u16 extra count ·
/// count × (u32 id, f64 normalized) · extras × f64 · u32 blob length · blob bytes (version 2:
/// free-form data of the plug-in, e.g. a style target's JSON; empty when none) · u32 FNV-1a of
/// everything before. Version 1 states (no blob) still load, with an empty blob.
/// Normalized values are stored as-is, so save → load → save is byte-identical. Read-only
/// (meter) parameters are not stored. Loading is total: anything that does not check out —
/// wrong magic, newer version, other kind, bad length, checksum — yields the defaults; unknown
/// IDs are skipped and missing ones keep their defaults, so old sessions load in new builds.
/// </summary>
/// <remarks>[main thread] Allocates (state is never touched on the audio thread).</remarks>
public static class StateCodec
{
    public const ushort Version = 2;

    /// <summary>The oldest version that loads.</summary>
    public const ushort OldestVersion = 1;

    /// <summary>Largest blob kept (a style target is a few kilobytes).</summary>
    public const int MaxBlobBytes = 1 << 20;
    private const uint Magic = 0x544D584D; // "MXMT" read as little-endian u32
    private const int HeaderBytes = 12;
    private const int EntryBytes = 12;

    /// <summary>Serializes the writable parameters' normalized values and the extras.</summary>
    public static byte[] Write(ushort kind, ParameterSet parameters, ReadOnlySpan<double> normalized, ReadOnlySpan<double> extras) =>
        Write(kind, parameters, normalized, extras, []);

    /// <summary>Serializes the writable parameters' normalized values, the extras and <paramref name="blob"/>.</summary>
    public static byte[] Write(ushort kind, ParameterSet parameters, ReadOnlySpan<double> normalized, ReadOnlySpan<double> extras, ReadOnlySpan<byte> blob)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blob.Length, MaxBlobBytes);
        int stored = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            stored += parameters[i].IsReadOnly ? 0 : 1;
        }

        var bytes = new byte[HeaderBytes + stored * EntryBytes + extras.Length * 8 + 4 + blob.Length + 4];
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

        BinaryPrimitives.WriteUInt32LittleEndian(s[at..], (uint)blob.Length);
        at += 4;
        blob.CopyTo(s[at..]);
        at += blob.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(s[at..], Fnv1a(s[..at]));
        return bytes;
    }

    /// <summary>Fills <paramref name="normalized"/> and <paramref name="extras"/> from
    /// <paramref name="data"/>, or with defaults (extras: NaN) when the data is not a valid state
    /// of this kind. Returns whether the data was valid.</summary>
    public static bool Read(ReadOnlySpan<byte> data, ushort kind, ParameterSet parameters, Span<double> normalized, Span<double> extras) =>
        Read(data, kind, parameters, normalized, extras, out _);

    /// <summary>As <see cref="Read(ReadOnlySpan{byte}, ushort, ParameterSet, Span{double}, Span{double})"/>,
    /// also returning the blob (empty for a version 1 state or invalid data).</summary>
    public static bool Read(ReadOnlySpan<byte> data, ushort kind, ParameterSet parameters, Span<double> normalized, Span<double> extras, out byte[] blob)
    {
        blob = [];
        for (int i = 0; i < parameters.Count; i++)
        {
            normalized[i] = parameters[i].DefaultNormalized;
        }

        extras.Fill(double.NaN);
        if (data.Length < HeaderBytes + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadUInt16LittleEndian(data[4..]) is < OldestVersion or > Version
            || BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) != kind)
        {
            return false;
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        int extraCount = BinaryPrimitives.ReadUInt16LittleEndian(data[10..]);
        int end = HeaderBytes + count * EntryBytes + extraCount * 8;
        int blobLength = 0;
        if (version >= 2)
        {
            // Version 2 adds the blob after the extras.
            if (data.Length < end + 8)
            {
                return false;
            }

            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(data[end..]);
            if (declared > MaxBlobBytes)
            {
                return false;
            }

            blobLength = (int)declared;
            end += 4 + blobLength;
        }

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

        if (version >= 2)
        {
            blob = data.Slice(at + 4, blobLength).ToArray();
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
