namespace MixMate.Assistant.Problems;

/// <summary>
/// What the streaming pass keeps of a programme: a few figures per channel for every 100 ms step
/// (the loudness meter's hop) and per 10 ms block, plus whole-programme figures. The checks that
/// need time (DC, polarity, imbalance, overs, silence, tails) run on this after the last block.
/// </summary>
/// <remarks>[any thread, one writer] About 40 bytes per channel per 100 ms.</remarks>
internal sealed class SegmentSeries
{
    public SegmentSeries(double sampleRate, int channels, int segmentFrames)
    {
        SampleRate = sampleRate;
        Channels = channels;
        SegmentFrames = segmentFrames;
        for (int c = 0; c < channels; c++)
        {
            Sum.Add([]);
            SumSquares.Add([]);
            Peak.Add([]);
            TruePeak.Add([]);
        }
    }

    public double SampleRate { get; }

    public int Channels { get; }

    /// <summary>Frames per step (round(fs/10), as the loudness meter).</summary>
    public int SegmentFrames { get; }

    public double SegmentSeconds => SegmentFrames / SampleRate;

    /// <summary>Frames in the programme.</summary>
    public long Frames { get; set; }

    public double Duration => Frames / SampleRate;

    /// <summary>Number of steps recorded (the last may be partial).</summary>
    public int Count => Frames2.Count;

    /// <summary>Frames in each step (all <see cref="SegmentFrames"/> but the last).</summary>
    public List<int> Frames2 { get; } = [];

    /// <summary>Per channel, per step: Σx.</summary>
    public List<List<double>> Sum { get; } = [];

    /// <summary>Per channel, per step: Σx².</summary>
    public List<List<double>> SumSquares { get; } = [];

    /// <summary>Per step: Σ x₀·x₁ (first two channels).</summary>
    public List<double> Cross { get; } = [];

    /// <summary>Per channel, per step: sample peak, linear.</summary>
    public List<List<float>> Peak { get; } = [];

    /// <summary>Per channel, per step: true peak, linear.</summary>
    public List<List<float>> TruePeak { get; } = [];

    /// <summary>Per step: momentary loudness (400 ms ending with the step), LUFS.</summary>
    public List<double> Momentary { get; } = [];

    /// <summary>Per 10 ms block: largest |x| over channels.</summary>
    public List<float> BlockPeak { get; } = [];

    /// <summary>Per 10 ms block: mean square over channels.</summary>
    public List<float> BlockMeanSquare { get; } = [];

    /// <summary>Frames per 10 ms block.</summary>
    public int BlockFrames => Math.Max(1, SegmentFrames / 10);

    /// <summary>First and last frame with |x| above the silence threshold; −1 when none.</summary>
    public long FirstAudible { get; set; } = -1;

    public long LastAudible { get; set; } = -1;

    /// <summary>Whole-programme figures from the loudness meter.</summary>
    public double IntegratedLufs { get; set; } = double.NegativeInfinity;

    public double LoudnessRangeLu { get; set; }

    public double TruePeakDbtp { get; set; } = double.NegativeInfinity;

    public double SamplePeakDbfs { get; set; } = double.NegativeInfinity;

    public double MaxShortTermLufs { get; set; } = double.NegativeInfinity;

    /// <summary>Per channel sample peak, linear.</summary>
    public double[] ChannelPeaks { get; set; } = [];

    /// <summary>Time of step <paramref name="index"/>'s start, seconds.</summary>
    public double Time(int index) => (double)index * SegmentFrames / SampleRate;

    /// <summary>Mean square of channel c over the whole programme.</summary>
    public double MeanSquare(int c) => Frames == 0 ? 0 : SumSquares[c].Sum() / Frames;
}
