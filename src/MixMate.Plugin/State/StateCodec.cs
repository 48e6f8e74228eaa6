using System.Buffers.Binary;
using MixMate.Plugin.Parameters;

namespace MixMate.Plugin.State;

/// <summary>
/// The plug-in's saved state, versioned. Layout of version 3 (little-endian):
/// <c>"MXMT"</c> · u16 version (3) · u16 kind · u16 parameter count · u16 field count ·
/// count × (u32 id, f64 normalized) · fields (<see cref="StateFields"/>: tag, type, length,
/// payload) · u32 FNV-1a of everything before.
/// The versions before still load: version 1 had, after the parameters, a u16-counted list of
/// positional f64 "extras" (the header's last word is their count) and the checksum; version 2
/// added u32 blob length · blob bytes after the extras (free-form data, e.g. a style target's
/// JSON). The plug-in reads those from <see cref="StoredState.LegacyExtras"/> and
/// <see cref="StoredState.LegacyBlob"/>.
/// Normalized values are stored as-is, so save → load → save is byte-identical. Read-only
/// (meter) parameters are not stored. Loading is total: anything that does not check out —
/// wrong magic, newer version, other kind, bad length, checksum, a field running past the end —
/// yields the defaults; unknown IDs are skipped and missing ones keep their defaults, so old
/// sessions load in new builds.
/// </summary>
/// <remarks>[main thread] Allocates (state is never touched on the audio thread).</remarks>
public static class StateCodec
{
    public const ushort Version = 3;

    /// <summary>The oldest version that loads.</summary>
    public const ushort OldestVersion = 1;

    /// <summary>Largest blob of a version 2 state kept (a style target is a few kilobytes).</summary>
    public const int MaxBlobBytes = 1 << 20;

    /// <summary>Largest fields section of a version 3 state (a style target and a little more).</summary>
    public const int MaxFieldBytes = 2 << 20;

    private const uint Magic = 0x544D584D; // "MXMT" read as little-endian u32
    private const int HeaderBytes = 12;
    private const int EntryBytes = 12;

    /// <summary>Serializes the writable parameters' normalized values and <paramref name="fields"/>
    /// (version 3).</summary>
    public static byte[] Write(ushort kind, ParameterSet parameters, ReadOnlySpan<double> normalized, StateFields fields)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fields.EncodedLength, MaxFieldBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fields.Count, ushort.MaxValue);
        int stored = StoredCount(parameters);
        var bytes = new byte[HeaderBytes + (stored * EntryBytes) + fields.EncodedLength + 4];
        Span<byte> s = bytes;
        int at = WriteHeaderAndParameters(s, Version, kind, parameters, normalized, (ushort)fields.Count);
        at += fields.WriteTo(s[at..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[at..], Fnv1a(s[..at]));
        return bytes;
    }

    /// <summary>Serializes in the version 2 layout (positional extras and a blob), as builds before
    /// version 3 did: for tests of the sessions they saved.</summary>
    public static byte[] WriteVersion2(ushort kind, ParameterSet parameters, ReadOnlySpan<double> normalized, ReadOnlySpan<double> extras,
        ReadOnlySpan<byte> blob = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blob.Length, MaxBlobBytes);
        int stored = StoredCount(parameters);
        var bytes = new byte[HeaderBytes + (stored * EntryBytes) + (extras.Length * 8) + 4 + blob.Length + 4];
        Span<byte> s = bytes;
        int at = WriteHeaderAndParameters(s, 2, kind, parameters, normalized, (ushort)extras.Length);
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

    /// <summary>Fills <paramref name="normalized"/> from <paramref name="data"/>, or with the
    /// defaults when the data is not a valid state of this kind. Returns whether it was valid.</summary>
    public static bool Read(ReadOnlySpan<byte> data, ushort kind, ParameterSet parameters, Span<double> normalized) =>
        Read(data, kind, parameters, normalized, out _);

    /// <summary>As <see cref="Read(ReadOnlySpan{byte}, ushort, ParameterSet, Span{double})"/>, also
    /// returning what the state holds beside the parameters (<see cref="StoredState.None"/> when
    /// invalid).</summary>
    public static bool Read(ReadOnlySpan<byte> data, ushort kind, ParameterSet parameters, Span<double> normalized, out StoredState stored)
    {
        stored = StoredState.None;
        for (int i = 0; i < parameters.Count; i++)
        {
            normalized[i] = parameters[i].DefaultNormalized;
        }

        if (data.Length < HeaderBytes + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadUInt16LittleEndian(data[4..]) is < OldestVersion or > Version
            || BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) != kind)
        {
            return false;
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        int afterCount = BinaryPrimitives.ReadUInt16LittleEndian(data[10..]);
        int at = HeaderBytes + (count * EntryBytes);
        if (data.Length < at + 4)
        {
            return false;
        }

        StoredState? rest = version >= 3 ? ReadFields(data, at, afterCount, out int end) : ReadLegacy(data, version, at, afterCount, out end);
        if (rest is null || data.Length != end + 4 || BinaryPrimitives.ReadUInt32LittleEndian(data[end..]) != Fnv1a(data[..end]))
        {
            return false;
        }

        for (int k = 0, e = HeaderBytes; k < count; k++, e += EntryBytes)
        {
            int index = parameters.IndexOf(BinaryPrimitives.ReadUInt32LittleEndian(data[e..]));
            double value = BinaryPrimitives.ReadDoubleLittleEndian(data[(e + 4)..]);
            if (index >= 0 && !parameters[index].IsReadOnly && value is >= 0.0 and <= 1.0)
            {
                normalized[index] = value;
            }
        }

        stored = rest;
        return true;
    }

    // Version 3: the fields, then the checksum at `end`.
    private static StoredState? ReadFields(ReadOnlySpan<byte> data, int at, int fieldCount, out int end)
    {
        ReadOnlySpan<byte> section = data[at..^4];
        StateFields? fields = StateFields.Parse(section[..Math.Min(section.Length, MaxFieldBytes)], fieldCount, out int length);
        end = at + length;
        return fields is null ? null : StoredState.Typed(fields);
    }

    // Versions 1 and 2: the extras; version 2 adds the blob after them.
    private static StoredState? ReadLegacy(ReadOnlySpan<byte> data, ushort version, int at, int extraCount, out int end)
    {
        end = at + (extraCount * 8);
        int blobLength = 0;
        if (version >= 2)
        {
            if (data.Length < end + 8)
            {
                return null;
            }

            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(data[end..]);
            if (declared > MaxBlobBytes)
            {
                return null;
            }

            blobLength = (int)declared;
            end += 4 + blobLength;
        }

        if (data.Length < end + 4)
        {
            return null;
        }

        var extras = new double[extraCount];
        for (int k = 0; k < extraCount; k++)
        {
            extras[k] = BinaryPrimitives.ReadDoubleLittleEndian(data[(at + (8 * k))..]);
        }

        byte[] blob = version >= 2 ? data.Slice(end - blobLength, blobLength).ToArray() : [];
        return StoredState.Legacy(version, extras, blob);
    }

    private static int StoredCount(ParameterSet parameters)
    {
        int stored = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            stored += parameters[i].IsReadOnly ? 0 : 1;
        }

        return stored;
    }

    private static int WriteHeaderAndParameters(Span<byte> s, ushort version, ushort kind, ParameterSet parameters, ReadOnlySpan<double> normalized,
        ushort afterCount)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], version);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], kind);
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], (ushort)StoredCount(parameters));
        BinaryPrimitives.WriteUInt16LittleEndian(s[10..], afterCount);
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

        return at;
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
