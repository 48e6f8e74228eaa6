using System.Buffers.Binary;

namespace MixMate.TonalEval;

/// <summary>Reads the two WAV layouts the material comes in (32-bit float from the dev set,
/// 16-bit PCM from espeak-ng) into planar float channels.</summary>
internal static class Wav
{
    public static (float[][] Channels, double SampleRate) Read(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        int pos = 12, channels = 0, bits = 0, format = 0, rate = 0;
        while (pos + 8 <= data.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(data, pos, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(pos + 4));
            int body = pos + 8;
            if (id == "fmt ")
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(body));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(body + 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(body + 4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(body + 14));
                if (format == 0xFFFE)
                {
                    format = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(body + 24));
                }
            }
            else if (id == "data")
            {
                if (size <= 0 || body + size > data.Length)
                {
                    size = data.Length - body;
                }

                int bytes = bits / 8;
                int frames = size / (bytes * channels);
                var result = new float[channels][];
                for (int c = 0; c < channels; c++)
                {
                    result[c] = new float[frames];
                }

                for (int i = 0; i < frames; i++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        int at = body + (((i * channels) + c) * bytes);
                        result[c][i] = (format, bits) switch
                        {
                            (3, 32) => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(at)),
                            (1, 16) => BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(at)) / 32768f,
                            (1, 24) => ((data[at] << 8 | data[at + 1] << 16 | data[at + 2] << 24) >> 8) / 8388608f,
                            _ => throw new InvalidDataException($"{path}: unsupported WAV format {format}/{bits}"),
                        };
                    }
                }

                return (result, rate);
            }

            pos = body + size + (size & 1);
        }

        throw new InvalidDataException($"{path}: no data chunk");
    }
}
