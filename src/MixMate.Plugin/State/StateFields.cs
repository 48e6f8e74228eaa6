using System.Buffers.Binary;

namespace MixMate.Plugin.State;

/// <summary>
/// A plug-in's own state beside its parameters (state version 3): named, typed fields. Each is
/// stored as u16 tag · u16 type (<see cref="StateFieldType"/>) · u32 length · payload
/// (little-endian), in the order they were set, so writing what was read gives the same bytes.
/// A reader asks for a tag with the type it expects; a missing tag, another type or a wrong
/// length reads as absent, and tags it does not know are kept but ignored — a later build may add
/// fields without a new state version.
/// </summary>
/// <remarks>[main thread] Allocates (state is never touched on the audio thread).</remarks>
public sealed class StateFields
{
    /// <summary>Bytes before each payload (tag, type, length).</summary>
    public const int FieldHeaderBytes = 8;

    private readonly List<(ushort Tag, StateFieldType Type, byte[] Payload)> _fields = [];

    /// <summary>Number of fields.</summary>
    public int Count => _fields.Count;

    /// <summary>Bytes the fields take in a state.</summary>
    public int EncodedLength
    {
        get
        {
            int n = 0;
            foreach ((_, _, byte[] payload) in _fields)
            {
                n += FieldHeaderBytes + payload.Length;
            }

            return n;
        }
    }

    /// <summary>Sets <paramref name="tag"/> to a 64-bit float.</summary>
    public void SetDouble(ushort tag, double value)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(payload, value);
        Set(tag, StateFieldType.Float64, payload);
    }

    /// <summary>Sets <paramref name="tag"/> to a 32-bit integer.</summary>
    public void SetInt32(ushort tag, int value)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, value);
        Set(tag, StateFieldType.Int32, payload);
    }

    /// <summary>Sets <paramref name="tag"/> to bytes (a record array, UTF-8 text…).</summary>
    public void SetBytes(ushort tag, ReadOnlySpan<byte> value) => Set(tag, StateFieldType.Bytes, value.ToArray());

    public bool TryGetDouble(ushort tag, out double value)
    {
        value = double.NaN;
        if (!TryGet(tag, StateFieldType.Float64, out byte[] payload) || payload.Length != 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadDoubleLittleEndian(payload);
        return true;
    }

    public bool TryGetInt32(ushort tag, out int value)
    {
        value = 0;
        if (!TryGet(tag, StateFieldType.Int32, out byte[] payload) || payload.Length != 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt32LittleEndian(payload);
        return true;
    }

    public bool TryGetBytes(ushort tag, out byte[] value) => TryGet(tag, StateFieldType.Bytes, out value);

    /// <summary>Writes every field into <paramref name="destination"/> (at least
    /// <see cref="EncodedLength"/> bytes); returns the bytes written.</summary>
    public int WriteTo(Span<byte> destination)
    {
        int at = 0;
        foreach ((ushort tag, StateFieldType type, byte[] payload) in _fields)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[at..], tag);
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(at + 2)..], (ushort)type);
            BinaryPrimitives.WriteInt32LittleEndian(destination[(at + 4)..], payload.Length);
            payload.CopyTo(destination[(at + FieldHeaderBytes)..]);
            at += FieldHeaderBytes + payload.Length;
        }

        return at;
    }

    /// <summary>Reads <paramref name="count"/> fields from the start of <paramref name="data"/>;
    /// null when they run past its end or a tag repeats. <paramref name="length"/>: bytes taken.</summary>
    public static StateFields? Parse(ReadOnlySpan<byte> data, int count, out int length)
    {
        var fields = new StateFields();
        length = 0;
        for (int k = 0; k < count; k++)
        {
            if (data.Length - length < FieldHeaderBytes)
            {
                return null;
            }

            ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(data[length..]);
            var type = (StateFieldType)BinaryPrimitives.ReadUInt16LittleEndian(data[(length + 2)..]);
            int size = BinaryPrimitives.ReadInt32LittleEndian(data[(length + 4)..]);
            length += FieldHeaderBytes;
            if (size < 0 || size > data.Length - length || fields.IndexOf(tag) >= 0)
            {
                return null;
            }

            fields._fields.Add((tag, type, data.Slice(length, size).ToArray()));
            length += size;
        }

        return fields;
    }

    private void Set(ushort tag, StateFieldType type, byte[] payload)
    {
        int index = IndexOf(tag);
        if (index >= 0)
        {
            _fields[index] = (tag, type, payload);
        }
        else
        {
            _fields.Add((tag, type, payload));
        }
    }

    private bool TryGet(ushort tag, StateFieldType type, out byte[] payload)
    {
        int index = IndexOf(tag);
        payload = index >= 0 && _fields[index].Type == type ? _fields[index].Payload : [];
        return index >= 0 && _fields[index].Type == type;
    }

    private int IndexOf(ushort tag)
    {
        for (int i = 0; i < _fields.Count; i++)
        {
            if (_fields[i].Tag == tag)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>The type of a <see cref="StateFields"/> field (stored as u16: never renumber).</summary>
public enum StateFieldType : ushort
{
    Float64 = 1,
    Int32 = 2,
    Bytes = 3,
}
